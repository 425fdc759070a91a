package dev.kiln.testenv.kstatus;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status kstatus (sigs.k8s.io/cli-utils pkg/kstatus/status) computes for a custom resource, which is what Flux
 * and {@code kubectl wait}-style tools see: its generic rules (deletion, observed generation, Reconciling, Stalled)
 * and then its Ready-condition fallback. Built-in kinds with their own kstatus rules (Deployment, Pod...) are refused.
 */
public final class Kstatus {

    public enum Status { CURRENT, IN_PROGRESS, FAILED, TERMINATING, NOT_FOUND }

    public record Result(Status status, String message) {
    }

    private static final List<String> KINDS_WITH_OWN_RULES = List.of("Service", "Pod", "Secret",
            "PersistentVolumeClaim", "StatefulSet", "DaemonSet", "Deployment", "ReplicaSet", "PodDisruptionBudget",
            "CronJob", "ConfigMap", "Job", "CustomResourceDefinition");

    private Kstatus() {
    }

    /** @param resource as read from the API; null when it was not found */
    public static Result compute(GenericKubernetesResource resource) {
        if (resource == null) {
            return new Result(Status.NOT_FOUND, "Resource not found");
        }
        if (KINDS_WITH_OWN_RULES.contains(resource.getKind())) {
            throw new IllegalArgumentException(resource.getKind() + " has kind-specific kstatus rules not modelled here");
        }
        String deletionTimestamp = resource.getMetadata().getDeletionTimestamp();
        if (deletionTimestamp != null && !deletionTimestamp.isEmpty()) {
            return new Result(Status.TERMINATING, "Resource scheduled for deletion");
        }
        Long generation = resource.getMetadata().getGeneration();
        Optional<Long> observed = number(status(resource).get("observedGeneration"));
        if (generation != null && observed.isPresent() && !observed.get().equals(generation)) {
            return new Result(Status.IN_PROGRESS, resource.getKind() + " generation is " + generation
                    + ", but latest observed generation is " + observed.get());
        }
        List<Map<String, Object>> conditions = conditions(resource);
        for (Map<String, Object> condition : conditions) {
            if (is(condition, "Reconciling", "True")) {
                return new Result(Status.IN_PROGRESS, text(condition, "message"));
            }
            if (is(condition, "Stalled", "True")) {
                return new Result(Status.FAILED, text(condition, "message"));
            }
        }
        // kstatus' fallback for resources that only speak Ready: False and Unknown both read as still working.
        for (Map<String, Object> condition : conditions) {
            if (!"Ready".equals(condition.get("type"))) {
                continue;
            }
            Object status = condition.get("status");
            if ("True".equals(status)) {
                return new Result(Status.CURRENT, "Resource is Ready");
            }
            if ("False".equals(status) || "Unknown".equals(status)) {
                return new Result(Status.IN_PROGRESS, text(condition, "message"));
            }
        }
        return new Result(Status.CURRENT, "Resource is current");
    }

    private static boolean is(Map<String, Object> condition, String type, String status) {
        return type.equals(condition.get("type")) && status.equals(condition.get("status"));
    }

    private static String text(Map<String, Object> condition, String key) {
        Object value = condition.get(key);
        return value == null ? "" : value.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource resource) {
        Object status = resource.getAdditionalProperties().get("status");
        return status instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** status.conditions, each as a map; empty when absent. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> conditions(GenericKubernetesResource resource) {
        Object conditions = status(resource).get("conditions");
        if (!(conditions instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(c -> (Map<String, Object>) c).toList();
    }

    private static Optional<Long> number(Object value) {
        return value instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }
}
