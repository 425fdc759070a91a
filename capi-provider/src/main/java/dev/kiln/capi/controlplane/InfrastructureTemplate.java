package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.common.ObjectRef;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Resolves spec.machineTemplate.infrastructureRef to a usable KilnMachineTemplate, or says what is wrong with it. */
final class InfrastructureTemplate {

    static final String FIELD = "spec.machineTemplate.infrastructureRef";

    /** Exactly one of template and problem is set. */
    record Resolved(KilnMachineTemplate template, String problem) {
    }

    private InfrastructureTemplate() {
    }

    static Resolved resolve(KubernetesClient client, KilnControlPlane controlPlane) {
        var machineTemplate = controlPlane.getSpec().getMachineTemplate();
        ObjectRef ref = machineTemplate == null ? null : machineTemplate.getInfrastructureRef();
        Optional<String> shape = shapeProblem(ref);
        if (shape.isPresent()) {
            return new Resolved(null, shape.get());
        }
        String namespace = controlPlane.getMetadata().getNamespace();
        if (ref.getNamespace() != null && !ref.getNamespace().isEmpty() && !ref.getNamespace().equals(namespace)) {
            return problem("points to namespace " + ref.getNamespace() + "; the template must be in " + namespace);
        }
        KilnMachineTemplate template = client.resources(KilnMachineTemplate.class).inNamespace(namespace)
                .withName(ref.getName()).get();
        if (template == null) {
            return problem("names KilnMachineTemplate " + namespace + "/" + ref.getName() + ", which does not exist");
        }
        if (template.getSpec() == null || template.getSpec().getTemplate() == null
                || template.getSpec().getTemplate().getSpec() == null) {
            return problem("names KilnMachineTemplate " + namespace + "/" + ref.getName()
                    + ", which has no spec.template.spec");
        }
        return new Resolved(template, null);
    }

    /** What is wrong with the reference itself, before anything is read: unset, or not a KilnMachineTemplate. */
    static Optional<String> shapeProblem(ObjectRef ref) {
        if (ref == null || ref.getName() == null || ref.getName().isBlank()) {
            return Optional.of(FIELD + " is not set; it must name a KilnMachineTemplate");
        }
        if (!"KilnMachineTemplate".equals(ref.getKind())) {
            return Optional.of(FIELD + " has kind " + ref.getKind() + "; only KilnMachineTemplate is supported");
        }
        if (ref.getApiVersion() == null || !ref.getApiVersion().startsWith(KilnCluster.GROUP + "/")) {
            return Optional.of(FIELD + " has apiVersion " + ref.getApiVersion() + "; expected " + KilnCluster.GROUP
                    + "/" + KilnCluster.VERSION);
        }
        return Optional.empty();
    }

    private static Resolved problem(String what) {
        return new Resolved(null, FIELD + " " + what);
    }
}
