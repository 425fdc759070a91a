package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.bootstrap.v1alpha1.GenerateType;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineSpec;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates control-plane machines, each the Machine first, then its KilnConfig and KilnMachine, both controlled by the
 * Machine so they go with it. All three share one name, which becomes the node's hostname and etcd member name.
 */
final class MachineFactory {

    static final String CONTROL_PLANE_NAME_LABEL = "cluster.x-k8s.io/control-plane-name";
    /** A creation waits for another, or for the caches to show one: short-lived, so looked at again soon. */
    static final String CREATION_IN_FLIGHT = "CreationInFlight";
    static final String CLONED_FROM_NAME = "cluster.x-k8s.io/cloned-from-name";
    static final String CLONED_FROM_GROUP_KIND = "cluster.x-k8s.io/cloned-from-groupkind";

    private final KubernetesClient client;
    private final CreationLedgerStore ledgers;
    private final Clock clock;

    MachineFactory(KubernetesClient client, Clock clock) {
        this.client = client;
        this.ledgers = new CreationLedgerStore(client);
        this.clock = clock;
    }

    /** Creates one machine per entry of {@code failureDomains}, each in its domain when present. */
    Outcome create(ControlPlaneState state, String why, List<Optional<String>> failureDomains) {
        KilnControlPlane controlPlane = state.controlPlane();
        InfrastructureTemplate.Resolved resolved = InfrastructureTemplate.resolve(client, controlPlane);
        if (resolved.problem() != null) {
            return new Outcome("Wait", "InvalidInfrastructureRef", "cannot " + why + ": " + resolved.problem(), true);
        }
        List<String> taken = new ArrayList<>(state.machines().stream().map(ControlPlaneMachine::name).toList());
        List<String> names = new ArrayList<>();
        for (int i = 0; i < failureDomains.size(); i++) {
            String name = MachineNames.next(controlPlane.getMetadata().getName(), controlPlane.getMetadata().getUid(),
                    controlPlane.getMetadata().getResourceVersion(), taken);
            names.add(name);
            taken.add(name);
        }
        Optional<Outcome> notAnnounced = announce(state, names);
        if (notAnnounced.isPresent()) {
            return notAnnounced.get();
        }
        List<String> created = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!createOne(state, names.get(i), failureDomains.get(i), resolved.template())) {
                // Another instance read the same state and created this one first.
                ledgers.settle(state.controlPlane(), state.clusterName(), names);
                return Outcome.waiting("MachineNameTaken", "machine name " + names.get(i)
                        + " is taken; the next pass looks at the machines again"
                        + (created.isEmpty() ? "" : " (created " + String.join(", ", created) + ")"));
            }
            created.add(names.get(i));
        }
        // A create that failed otherwise leaves its announcement to age out: it may have reached the API server.
        ledgers.settle(state.controlPlane(), state.clusterName(), names);
        boolean surge = state.liveMachines().size() >= state.desiredReplicas();
        return new Outcome("ScaleUp", surge ? "RollingOut" : "ScalingUp", why + "; created machine"
                + (created.size() == 1 ? " " : "s ") + String.join(", ", created) + " with KilnConfig and KilnMachine of "
                + "the same name from KilnMachineTemplate " + resolved.template().getMetadata().getName(), false);
    }

    /** The Machine, then its KilnConfig and KilnMachine; false when another instance created the name first. */
    private boolean createOne(ControlPlaneState state, String name, Optional<String> failureDomain,
            KilnMachineTemplate template) {
        Machine machine;
        try {
            machine = client.resource(machine(state, name, failureDomain)).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            return false;
        }
        try {
            client.resource(kilnConfig(state, name, machine)).create();
            client.resource(kilnMachine(state, name, machine, template)).create();
        } catch (KubernetesClientException e) {
            // A Machine whose parts are missing would never provision and would block every later change.
            client.resources(Machine.class).inNamespace(state.namespace()).withName(name).delete();
            throw e;
        }
        return true;
    }

    /**
     * Records {@code names} in the creation ledger, unless a machine announced by another pass is not listed yet or
     * another instance announced one since this pass read the ledger: either way that machine counts first.
     */
    private Optional<Outcome> announce(ControlPlaneState state, List<String> names) {
        CreationLedger ledger = ledgers.read(state.controlPlane());
        // Listed after the ledger is read: a machine created and settled before that read is in this list.
        List<String> listed = ControlPlaneObserver.ownedMachines(client, state.controlPlane(), state.cluster()).stream()
                .map(m -> m.getMetadata().getName()).sorted().toList();
        List<String> observed = state.machines().stream().map(ControlPlaneMachine::name).sorted().toList();
        if (!listed.equals(observed)) {
            return Optional.of(Outcome.waiting(CREATION_IN_FLIGHT, "the control plane's machines changed while this "
                    + "pass looked at them; the next pass looks again"));
        }
        Instant now = clock.instant();
        List<String> inFlight = ledger.inFlight(listed, now);
        if (!inFlight.isEmpty()) {
            return Optional.of(Outcome.waiting(CREATION_IN_FLIGHT, "machine " + String.join(", ", inFlight)
                    + " was announced for creation and is not listed yet; it counts before another is created"));
        }
        CreationLedgerStore.Announcement announcement = ledgers.write(state.controlPlane(), state.clusterName(), ledger,
                ledger.announcing(names, listed, now));
        if (announcement instanceof CreationLedgerStore.Announcement.Conflict) {
            return Optional.of(Outcome.waiting(CREATION_IN_FLIGHT, "another pass announced a machine while this one "
                    + "read the control plane; the next pass looks at the machines again"));
        }
        return Optional.empty();
    }

    private Machine machine(ControlPlaneState state, String name, Optional<String> failureDomain) {
        KilnControlPlane controlPlane = state.controlPlane();
        MachineTemplate template = controlPlane.getSpec().getMachineTemplate();
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(ConfigHash.ANNOTATION, state.configHash());
        // Set at creation so no window exists in which the Machine could be deleted before etcd lets it go (I3).
        annotations.put(KilnLabels.ETCD_HOOK, KilnLabels.HOOK_OWNER);
        TemplateLabels.Metadata metadata = TemplateMetadataSync.applied(new ObjectMetaBuilder()
                .withLabels(controlPlaneLabels(state)).withAnnotations(annotations).build(), template.getMetadata());

        MachineSpec spec = new MachineSpec();
        spec.setClusterName(state.clusterName());
        spec.setVersion(controlPlane.getSpec().getVersion());
        MachineSpec.Bootstrap bootstrap = new MachineSpec.Bootstrap();
        bootstrap.setConfigRef(reference(KilnConfig.class, name, state.namespace()));
        spec.setBootstrap(bootstrap);
        spec.setInfrastructureRef(reference(KilnMachine.class, name, state.namespace()));
        failureDomain.ifPresent(spec::setFailureDomain);
        DeletionTimeouts timeouts = DeletionTimeouts.of(template);
        putIfSet(spec, "nodeDrainTimeout", timeouts.nodeDrainTimeout());
        putIfSet(spec, "nodeVolumeDetachTimeout", timeouts.nodeVolumeDetachTimeout());
        putIfSet(spec, "nodeDeletionTimeout", timeouts.nodeDeletionTimeout());

        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(state.namespace())
                .withLabels(new LinkedHashMap<>(metadata.labels()))
                .withAnnotations(new LinkedHashMap<>(metadata.annotations()))
                .withOwnerReferences(KilnLabels.ownedBy(controlPlane, true))
                .build());
        machine.setSpec(spec);
        return machine;
    }

    private static void putIfSet(MachineSpec spec, String field, String duration) {
        if (duration != null) {
            spec.setAdditionalProperty(field, duration);
        }
    }

    private KilnConfig kilnConfig(ControlPlaneState state, String name, Machine owner) {
        KilnConfig config = new KilnConfig();
        config.setMetadata(ownedMetadata(state, name, owner, null, Map.of()));
        config.setSpec(controlPlaneConfig(state.controlPlane().getSpec().getControlPlaneConfig()));
        return config;
    }

    /** The KilnConfig spec of a new machine: a copy of {@code desired} (may be null) with its type forced. */
    static KilnConfigSpec controlPlaneConfig(KilnConfigSpec desired) {
        KilnConfigSpec spec = desired == null ? new KilnConfigSpec() : Serialization.clone(desired);
        // A control-plane machine needs a control-plane config; "none" keeps the user's complete config in spec.data.
        if (!GenerateType.NONE.wireName().equals(spec.getGenerateType())) {
            spec.setGenerateType(GenerateType.CONTROLPLANE.wireName());
        }
        return spec;
    }

    private KilnMachine kilnMachine(ControlPlaneState state, String name, Machine owner,
            KilnMachineTemplate template) {
        KilnMachineSpec spec = client.getKubernetesSerialization().clone(template.getSpec().getTemplate().getSpec());
        KilnMachine kilnMachine = new KilnMachine();
        kilnMachine.setMetadata(ownedMetadata(state, name, owner, template.getSpec().getTemplate().getMetadata(), Map.of(
                CLONED_FROM_NAME, template.getMetadata().getName(),
                CLONED_FROM_GROUP_KIND, HasMetadata.getKind(KilnMachineTemplate.class) + "."
                        + HasMetadata.getGroup(KilnMachineTemplate.class))));
        kilnMachine.setSpec(spec);
        return kilnMachine;
    }

    /**
     * Kiln's labels and {@code annotations}, over those of the template the object is cloned from (may be null), with
     * spec.machineTemplate.metadata applied last.
     */
    private static ObjectMeta ownedMetadata(ControlPlaneState state, String name, Machine owner,
            TemplateMetadata clonedFrom, Map<String, String> annotations) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> allAnnotations = new LinkedHashMap<>();
        if (clonedFrom != null) {
            labels.putAll(clonedFrom.getLabels() == null ? Map.of() : clonedFrom.getLabels());
            allAnnotations.putAll(clonedFrom.getAnnotations() == null ? Map.of() : clonedFrom.getAnnotations());
        }
        labels.putAll(controlPlaneLabels(state));
        allAnnotations.putAll(annotations);
        TemplateLabels.Metadata metadata = TemplateMetadataSync.applied(new ObjectMetaBuilder().withLabels(labels)
                .withAnnotations(allAnnotations).build(), state.controlPlane().getSpec().getMachineTemplate()
                .getMetadata());
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(state.namespace())
                .withLabels(new LinkedHashMap<>(metadata.labels()))
                .withAnnotations(metadata.annotations().isEmpty() ? null : new LinkedHashMap<>(metadata.annotations()))
                .withOwnerReferences(KilnLabels.ownedBy(owner, true))
                .build();
    }

    private static Map<String, String> controlPlaneLabels(ControlPlaneState state) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(KilnLabels.CLUSTER_NAME, state.clusterName());
        labels.put(Machine.CONTROL_PLANE_LABEL, "");
        labels.put(CONTROL_PLANE_NAME_LABEL, state.controlPlane().getMetadata().getName());
        return labels;
    }

    private static ObjectReference reference(Class<? extends HasMetadata> kind, String name, String namespace) {
        return new ObjectReference(HasMetadata.getApiVersion(kind), HasMetadata.getKind(kind), name, namespace);
    }
}
