package dev.kiln.testenv.kstatus;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Objects of a custom kind with just the fields status rules read. */
final class Samples {

    private Samples() {
    }

    static Map<String, Object> condition(String type, String status) {
        return condition(type, status, type + "Reason");
    }

    static Map<String, Object> condition(String type, String status, String reason) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("type", type);
        condition.put("status", status);
        condition.put("reason", reason);
        condition.put("message", type + " is " + status);
        return condition;
    }

    @SafeVarargs
    static Builder object(long generation, Integer observedGeneration, Map<String, Object>... conditions) {
        return new Builder(generation, observedGeneration, List.of(conditions));
    }

    static final class Builder {
        private final long generation;
        private final Integer observedGeneration;
        private final List<Map<String, Object>> conditions;
        private String deletionTimestamp;

        private Builder(long generation, Integer observedGeneration, List<Map<String, Object>> conditions) {
            this.generation = generation;
            this.observedGeneration = observedGeneration;
            this.conditions = conditions;
        }

        Builder withDeletionTimestamp(String timestamp) {
            this.deletionTimestamp = timestamp;
            return this;
        }

        GenericKubernetesResource build() {
            GenericKubernetesResource resource = new GenericKubernetesResource();
            resource.setApiVersion("example.kiln.dev/v1");
            resource.setKind("Sample");
            resource.setMetadata(new ObjectMetaBuilder().withName("sample").withNamespace("default")
                    .withGeneration(generation).withDeletionTimestamp(deletionTimestamp).build());
            Map<String, Object> status = new LinkedHashMap<>();
            if (observedGeneration != null) {
                status.put("observedGeneration", observedGeneration);
            }
            status.put("conditions", new ArrayList<>(conditions));
            resource.setAdditionalProperty("status", status);
            return resource;
        }
    }
}
