package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Resolves the control plane's machine template reference to a usable KilnMachineTemplate, or says what is wrong. */
final class InfrastructureTemplate {

    /** Exactly one of template and problem is set. */
    record Resolved(KilnMachineTemplate template, String problem) {
    }

    private InfrastructureTemplate() {
    }

    static Resolved resolve(KubernetesClient client, KilnControlPlane controlPlane) {
        var machineTemplate = controlPlane.getSpec().getMachineTemplate();
        Optional<String> shape = MachineTemplateRef.problem(machineTemplate);
        if (shape.isPresent()) {
            return new Resolved(null, shape.get());
        }
        MachineTemplateRef.Chosen chosen = MachineTemplateRef.chosen(machineTemplate);
        String name = chosen.ref().getName();
        String namespace = controlPlane.getMetadata().getNamespace();
        if (chosen.namespace() != null && !chosen.namespace().equals(namespace)) {
            return problem(MachineTemplateRef.DEPRECATED_FIELD, "points to namespace " + chosen.namespace()
                    + "; the template must be in " + namespace);
        }
        String field = machineTemplate.getSpec() != null && machineTemplate.getSpec().getInfrastructureRef() != null
                ? MachineTemplateRef.FIELD : MachineTemplateRef.DEPRECATED_FIELD;
        // Typed read: the ref carries no version, and Kiln's client reads KilnMachineTemplate at the version it serves.
        KilnMachineTemplate template = client.resources(KilnMachineTemplate.class).inNamespace(namespace)
                .withName(name).get();
        if (template == null) {
            return problem(field, "names KilnMachineTemplate " + namespace + "/" + name + ", which does not exist");
        }
        if (template.getSpec() == null || template.getSpec().getTemplate() == null
                || template.getSpec().getTemplate().getSpec() == null) {
            return problem(field, "names KilnMachineTemplate " + namespace + "/" + name
                    + ", which has no spec.template.spec");
        }
        return new Resolved(template, null);
    }

    private static Resolved problem(String field, String what) {
        return new Resolved(null, field + " " + what);
    }
}
