package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * Keeps spec.machineTemplate.metadata on the Machines, KilnMachines and KilnConfigs of the control plane, in place:
 * labels and annotations are not part of the config hash, so changing them replaces no machine.
 */
final class TemplateMetadataSync {

    static final Set<String> RESERVED_LABELS = Set.of(KilnLabels.CLUSTER_NAME, Machine.CONTROL_PLANE_LABEL,
            MachineFactory.CONTROL_PLANE_NAME_LABEL);
    static final Set<String> RESERVED_ANNOTATIONS = java.util.stream.Stream.concat(Set.of(ConfigHash.ANNOTATION,
            KilnLabels.ETCD_HOOK, MachineFactory.CLONED_FROM_NAME, MachineFactory.CLONED_FROM_GROUP_KIND).stream(),
            UpgradeRecord.ANNOTATIONS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final KubernetesClient client;

    TemplateMetadataSync(KubernetesClient client) {
        this.client = client;
    }

    /** The template applied to {@code metadata} as it is now. */
    static TemplateLabels.Metadata applied(ObjectMeta metadata, TemplateMetadata template) {
        return TemplateLabels.apply(new TemplateLabels.Metadata(metadata.getLabels(), metadata.getAnnotations()),
                template, RESERVED_LABELS, RESERVED_ANNOTATIONS);
    }

    /** Updates every object of a live machine whose labels or annotations lag the template; names them. */
    List<String> sync(ControlPlaneState state, CachedReads<KilnConfig> configs) {
        TemplateMetadata template = state.controlPlane().getSpec().getMachineTemplate() == null ? null
                : state.controlPlane().getSpec().getMachineTemplate().getMetadata();
        List<String> updated = new ArrayList<>();
        for (ControlPlaneMachine m : state.machines()) {
            if (m.deleting()) {
                continue;
            }
            sync(m.machine(), Machine.class, template, updated);
            m.kilnMachine().ifPresent(km -> sync(km, KilnMachine.class, template, updated));
            configs.get(state.namespace(), configName(m.machine()))
                    .ifPresent(config -> sync(config, KilnConfig.class, template, updated));
        }
        return updated;
    }

    private <T extends HasMetadata> void sync(T seen, Class<T> kind, TemplateMetadata template, List<String> updated) {
        if (!lags(seen.getMetadata(), template)) {
            return;
        }
        try {
            // Applied again to the copy the edit reads, so changes others made since our read are kept.
            client.resources(kind).inNamespace(seen.getMetadata().getNamespace())
                    .withName(seen.getMetadata().getName()).edit(fresh -> {
                        TemplateLabels.Metadata wanted = applied(fresh.getMetadata(), template);
                        fresh.getMetadata().setLabels(new LinkedHashMap<>(wanted.labels()));
                        fresh.getMetadata().setAnnotations(new LinkedHashMap<>(wanted.annotations()));
                        return fresh;
                    });
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
            return; // gone or changed meanwhile: the next pass looks again
        }
        updated.add(HasMetadata.getKind(kind) + " " + seen.getMetadata().getName());
    }

    private static boolean lags(ObjectMeta metadata, TemplateMetadata template) {
        TemplateLabels.Metadata now = new TemplateLabels.Metadata(metadata.getLabels(), metadata.getAnnotations());
        return !now.equals(applied(metadata, template));
    }

    private static String configName(Machine machine) {
        var bootstrap = machine.getSpec() == null ? null : machine.getSpec().getBootstrap();
        return bootstrap == null || bootstrap.getConfigRef() == null ? machine.getMetadata().getName()
                : bootstrap.getConfigRef().getName();
    }
}
