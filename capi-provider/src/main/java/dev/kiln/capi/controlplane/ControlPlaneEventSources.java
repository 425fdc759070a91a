package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.SecondaryIndex;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.informers.SharedInformers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The informers a control-plane pass reads from ({@link ControlPlaneReads}), each waking the control plane its
 * object belongs to; updates that change nothing a pass reads wake nobody.
 */
final class ControlPlaneEventSources {

    private ControlPlaneEventSources() {
    }

    static List<EventSource<?, KilnControlPlane>> of(SharedInformers informers,
            EventSourceContext<KilnControlPlane> context) {
        // Machine changes (provisioned, deleted) wake the control plane that controls them; workers map to none.
        var machines = informers.eventSource(SecondaryIndex.informer(Machine.class,
                        KilnControlPlane.class)
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(KilnControlPlane.class))
                .build(), context);
        var clusters = SecondaryIndex.informer(Cluster.class, KilnControlPlane.class)
                .withSecondaryToPrimaryMapper((Cluster cluster) -> ofCluster(context, cluster.getMetadata()
                        .getNamespace(), Optional.of(cluster.getMetadata().getName())))
                // Pause (spec or annotation) and deletion; not the status other controllers keep writing.
                .withOnUpdateFilter((now, before) -> changed(now, before, HasMetadata::getMetadata,
                        m -> m.getGeneration(), m -> m.getAnnotations(), m -> m.getDeletionTimestamp()))
                .build();
        var kilnMachines = SecondaryIndex.informer(KilnMachine.class, KilnControlPlane.class)
                .withSecondaryToPrimaryMapper(ControlPlaneEventSources::namedControlPlane)
                .withOnUpdateFilter((now, before) -> changed(now, before, k -> k.getStatus() == null ? null
                        : List.of(String.valueOf(k.getStatus().getReady()), String.valueOf(k.getStatus()
                                .getServerRef() == null ? null : k.getStatus().getServerRef().getName())))
                        || changed(now, before, HasMetadata::getMetadata, m -> m.getLabels(),
                                m -> m.getAnnotations(), m -> m.getDeletionTimestamp()))
                .build();
        // A server's address (its spec) is where the control plane dials its node.
        var servers = SecondaryIndex.informer(KilnServer.class, KilnControlPlane.class)
                .withSecondaryToPrimaryMapper((KilnServer server) -> claimant(machines, server))
                .withOnUpdateFilter((now, before) -> changed(now, before, HasMetadata::getMetadata,
                        m -> m.getGeneration(), m -> m.getDeletionTimestamp()))
                .build();
        // Labels and annotations are all the control plane keeps on its KilnConfigs.
        var configs = SecondaryIndex.informer(KilnConfig.class, KilnControlPlane.class)
                .withLabelSelector(Machine.CONTROL_PLANE_LABEL)
                .withSecondaryToPrimaryMapper(ControlPlaneEventSources::namedControlPlane)
                .withOnUpdateFilter((now, before) -> changed(now, before, HasMetadata::getMetadata,
                        m -> m.getLabels(), m -> m.getAnnotations()))
                .build();
        // Only the secrets bundle matters: its appearance gives the control plane the credentials to ask nodes.
        var secrets = SecondaryIndex.informer(Secret.class, KilnControlPlane.class)
                .withLabelSelector(KilnLabels.CLUSTER_NAME)
                .withSecondaryToPrimaryMapper((Secret secret) -> KilnLabels.clusterOf(secret)
                        .filter(cluster -> KilnLabels.secretsBundleName(cluster).equals(secret.getMetadata().getName()))
                        .map(cluster -> ofCluster(context, secret.getMetadata().getNamespace(), Optional.of(cluster)))
                        .orElse(Set.of()))
                .build();
        // Adopting the template is the only thing a pass does with it.
        var templates = SecondaryIndex.informer(KilnMachineTemplate.class, KilnControlPlane.class)
                .withSecondaryToPrimaryMapper((KilnMachineTemplate template) -> usersOf(context, template))
                .withOnUpdateFilter((now, before) -> changed(now, before, HasMetadata::getMetadata,
                        m -> m.getOwnerReferences()))
                .build();
        // The bootstrap record, whose completion the control plane reports and gates scaling on.
        var records = SecondaryIndex.informer(ConfigMap.class, KilnControlPlane.class)
                .withLabelSelector(KilnLabels.CLUSTER_NAME)
                .withSecondaryToPrimaryMapper((ConfigMap map) -> KilnLabels.clusterOf(map)
                        .filter(cluster -> KilnLabels.bootstrapRecordName(cluster).equals(map.getMetadata().getName()))
                        .map(cluster -> ofCluster(context, map.getMetadata().getNamespace(), Optional.of(cluster)))
                        .orElse(Set.of()))
                .build();
        return List.of(machines, informers.eventSource(records, context),
                informers.eventSource(clusters, context), informers.eventSource(kilnMachines, context),
                informers.eventSource(servers, context), informers.eventSource(configs, context),
                informers.eventSource(secrets, context), informers.eventSource(templates, context));
    }

    /** The control plane its label names: Kiln's machines carry it on the Machine, KilnConfig and KilnMachine. */
    private static Set<ResourceID> namedControlPlane(HasMetadata object) {
        var labels = object.getMetadata().getLabels();
        String name = labels == null ? null : labels.get(MachineFactory.CONTROL_PLANE_NAME_LABEL);
        return name == null ? Set.of() : Set.of(new ResourceID(name, object.getMetadata().getNamespace()));
    }

    /** The control plane of the Machine whose KilnMachine (of the same name) claimed {@code server}. */
    private static Set<ResourceID> claimant(Cache<Machine> machines,
            KilnServer server) {
        var ref = server.getStatus() == null ? null : server.getStatus().getMachineRef();
        if (ref == null || ref.getName() == null) {
            return Set.of();
        }
        String namespace = ref.getNamespace() == null ? server.getMetadata().getNamespace() : ref.getNamespace();
        return machines.get(new ResourceID(ref.getName(), namespace))
                .flatMap(machine -> KilnLabels.ownerOfKind(machine, "KilnControlPlane"))
                .map(owner -> Set.of(new ResourceID(owner.getName(), namespace))).orElse(Set.of());
    }

    private static Set<ResourceID> ofCluster(EventSourceContext<KilnControlPlane> context, String namespace,
            Optional<String> cluster) {
        return context.getPrimaryCache().list(namespace,
                        controlPlane -> cluster.equals(ControlPlaneObserver.ownerClusterName(controlPlane)))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    private static Set<ResourceID> usersOf(EventSourceContext<KilnControlPlane> context, KilnMachineTemplate template) {
        return context.getPrimaryCache().list(template.getMetadata().getNamespace(), controlPlane -> {
            var machineTemplate = controlPlane.getSpec() == null ? null : controlPlane.getSpec().getMachineTemplate();
            return MachineTemplateRef.problem(machineTemplate).isEmpty() && template.getMetadata().getName()
                    .equals(MachineTemplateRef.chosen(machineTemplate).ref().getName());
        }).map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @SafeVarargs
    private static <R, V> boolean changed(R now, R before, Function<R, V> part, Function<V, Object>... fields) {
        V a = part.apply(now);
        V b = part.apply(before);
        for (Function<V, Object> field : fields) {
            if (!Objects.equals(a == null ? null : field.apply(a), b == null ? null : field.apply(b))) {
                return true;
            }
        }
        return false;
    }

    private static <R> boolean changed(R now, R before, Function<R, Object> part) {
        return !Objects.equals(part.apply(now), part.apply(before));
    }
}
