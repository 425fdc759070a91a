package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.text.Sha256;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The hash of what a control-plane Machine is made from: version, controlPlaneConfig and the infrastructure template
 * reference. Stamped on each Machine at creation; a Machine whose stamp differs from the current hash is outdated.
 */
final class ConfigHash {

    static final String ANNOTATION = "kiln.dev/config-hash";

    private ConfigHash() {
    }

    /** The hash stamped on new Machines. */
    static String of(KilnControlPlaneSpec spec, KubernetesSerialization serialization) {
        return hash(spec, spec.getVersion(), templateRef(spec), serialization);
    }

    private static Object templateRef(KilnControlPlaneSpec spec) {
        return valid(spec) ? MachineTemplateRef.chosen(spec.getMachineTemplate()).legacyForm(null)
                : spec.getMachineTemplate() == null ? null : spec.getMachineTemplate().getInfrastructureRef();
    }

    /**
     * Every hash a Machine made from this spec may carry: {@link #of}, and the one an earlier Kiln stamped when the
     * deprecated reference named the control plane's own namespace, which is the same template.
     */
    static Set<String> current(KilnControlPlaneSpec spec, String namespace, KubernetesSerialization serialization) {
        return current(spec, spec.getVersion(), namespace, serialization);
    }

    /**
     * For the InPlace strategy, which installs a new version rather than replacing machines for it: the hashes of this
     * spec with the version the machine was made with, so only controlPlaneConfig and template changes outdate it.
     */
    static boolean matchesIgnoringVersion(Machine machine, KilnControlPlaneSpec spec, String namespace,
            KubernetesSerialization serialization) {
        String madeWith = machine.getSpec() == null ? null : machine.getSpec().getVersion();
        return matches(machine, current(spec, madeWith, namespace, serialization));
    }

    private static Set<String> current(KilnControlPlaneSpec spec, String version, String namespace,
            KubernetesSerialization serialization) {
        if (!valid(spec)) {
            return Set.of(hash(spec, version, templateRef(spec), serialization));
        }
        MachineTemplateRef.Chosen chosen = MachineTemplateRef.chosen(spec.getMachineTemplate());
        return Set.of(hash(spec, version, templateRef(spec), serialization),
                hash(spec, version, chosen.legacyForm(namespace), serialization));
    }

    /** A Machine without a stamp was not made from this spec as far as we can tell, so it counts as outdated. */
    static boolean matches(Machine machine, Set<String> currentHashes) {
        Map<String, String> annotations = machine.getMetadata().getAnnotations();
        return annotations != null && currentHashes.contains(annotations.get(ANNOTATION));
    }

    private static boolean valid(KilnControlPlaneSpec spec) {
        return MachineTemplateRef.problem(spec.getMachineTemplate()).isEmpty();
    }

    private static String hash(KilnControlPlaneSpec spec, String version, Object infrastructureRef,
            KubernetesSerialization serialization) {
        // A LinkedHashMap keeps the key order fixed, so equal specs always hash equally.
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("version", version);
        inputs.put("controlPlaneConfig", spec.getControlPlaneConfig());
        // In the v1beta1 form whichever field names the template, so moving to the v1beta2 field rolls nothing out.
        inputs.put("infrastructureRef", infrastructureRef);
        return Sha256.hex(serialization.asJson(inputs)).substring(0, 16);
    }
}
