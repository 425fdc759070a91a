package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.common.ContractVersionedRef;
import dev.kiln.capi.api.common.ObjectRef;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Objects;
import java.util.Optional;

/**
 * Which KilnMachineTemplate a control plane's machines are cloned from: spec.machineTemplate.spec.infrastructureRef
 * (Cluster API v1beta2), or the deprecated v1beta1 spec.machineTemplate.infrastructureRef. Pure.
 */
final class MachineTemplateRef {

    static final String FIELD = "spec.machineTemplate.spec.infrastructureRef";
    static final String DEPRECATED_FIELD = "spec.machineTemplate.infrastructureRef";
    static final String KIND = HasMetadata.getKind(KilnMachineTemplate.class);

    /** The template's reference; {@code namespace} is only ever set by the deprecated field. */
    record Chosen(ContractVersionedRef ref, String namespace) {
        /** The v1beta1 form, which config hashes were computed from before the v1beta2 field existed. */
        ObjectRef legacyForm(String namespace) {
            return new ObjectRef(ref.getApiGroup() + "/" + KilnCluster.VERSION, ref.getKind(), ref.getName(), namespace);
        }
    }

    private MachineTemplateRef() {
    }

    /** What keeps the template's reference from naming one KilnMachineTemplate, naming the field(s) at fault. */
    static Optional<String> problem(MachineTemplate template) {
        ContractVersionedRef current = current(template);
        ObjectRef deprecated = template == null ? null : template.getInfrastructureRef();
        if (current == null && deprecated == null) {
            return Optional.of(FIELD + " is not set; it must name a KilnMachineTemplate");
        }
        if (current != null && deprecated != null) {
            ContractVersionedRef old = fromDeprecated(deprecated);
            if (!Objects.equals(current.getApiGroup(), old.getApiGroup())
                    || !Objects.equals(current.getKind(), old.getKind())
                    || !Objects.equals(current.getName(), old.getName())) {
                return Optional.of(FIELD + " (" + describe(current) + ") and the deprecated " + DEPRECATED_FIELD
                        + " (" + describe(old) + ") name different templates; keep only " + FIELD);
            }
        }
        if (current != null) {
            return shapeProblem(FIELD, current.getName(), current.getKind()).or(() -> KilnCluster.GROUP.equals(
                    current.getApiGroup()) ? Optional.empty() : Optional.of(FIELD + " has apiGroup "
                    + current.getApiGroup() + "; expected " + KilnCluster.GROUP));
        }
        return shapeProblem(DEPRECATED_FIELD, deprecated.getName(), deprecated.getKind()).or(() ->
                deprecated.getApiVersion() != null && deprecated.getApiVersion().startsWith(KilnCluster.GROUP + "/")
                        ? Optional.empty() : Optional.of(DEPRECATED_FIELD + " has apiVersion "
                        + deprecated.getApiVersion() + "; expected " + KilnCluster.GROUP + "/" + KilnCluster.VERSION));
    }

    /** The reference to follow; call only when {@link #problem} found none. */
    static Chosen chosen(MachineTemplate template) {
        ContractVersionedRef current = current(template);
        ObjectRef deprecated = template.getInfrastructureRef();
        String namespace = deprecated == null || deprecated.getNamespace() == null
                || deprecated.getNamespace().isEmpty() ? null : deprecated.getNamespace();
        return new Chosen(current != null ? current : fromDeprecated(deprecated), namespace);
    }

    private static ContractVersionedRef current(MachineTemplate template) {
        return template == null || template.getSpec() == null ? null : template.getSpec().getInfrastructureRef();
    }

    private static ContractVersionedRef fromDeprecated(ObjectRef ref) {
        String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return new ContractVersionedRef(group, ref.getKind(), ref.getName());
    }

    private static Optional<String> shapeProblem(String field, String name, String kind) {
        if (name == null || name.isBlank()) {
            return Optional.of(field + " is not set; it must name a KilnMachineTemplate");
        }
        if (!KIND.equals(kind)) {
            return Optional.of(field + " has kind " + kind + "; only KilnMachineTemplate is supported");
        }
        return Optional.empty();
    }

    private static String describe(ContractVersionedRef ref) {
        return ref.getKind() + "." + ref.getApiGroup() + " " + ref.getName();
    }
}
