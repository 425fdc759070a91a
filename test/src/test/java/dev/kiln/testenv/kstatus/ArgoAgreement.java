package dev.kiln.testenv.kstatus;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;

/**
 * The Argo CD health the scripts must give for what kstatus computes: the same verdict in Argo CD's words, except
 * that Paused reads Suspended, and an object of a reconciled kind that has no Ready condition yet is still
 * Progressing (kstatus cannot tell it apart from a finished one and calls it Current).
 */
final class ArgoAgreement {

    /** Kinds that are Ready only once Kiln says so; a KilnServer is inventory and healthy until something happens. */
    static final List<String> REPORTED_KINDS = List.of("KilnControlPlane", "KilnCluster", "KilnMachine", "KilnConfig");

    private ArgoAgreement() {
    }

    static String expected(GenericKubernetesResource resource) {
        if (conditionTrue(resource, "Paused")) {
            return "Suspended";
        }
        return switch (Kstatus.compute(resource).status()) {
            case CURRENT -> REPORTED_KINDS.contains(resource.getKind()) && !hasCondition(resource, "Ready")
                    ? "Progressing" : "Healthy";
            case IN_PROGRESS, TERMINATING -> "Progressing";
            case FAILED -> "Degraded";
            case NOT_FOUND -> "Missing";
        };
    }

    static boolean conditionTrue(GenericKubernetesResource resource, String type) {
        return Kstatus.conditions(resource).stream()
                .anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
    }

    private static boolean hasCondition(GenericKubernetesResource resource, String type) {
        return Kstatus.conditions(resource).stream().anyMatch(c -> type.equals(c.get("type")));
    }
}
