package dev.kiln.capi.crd;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks an object through its committed CRD's schema, as an API server would at admission (no API server runs here):
 * every field declared, of the declared type, within its enum, and every required field present.
 */
public final class SchemaFit {
    private static final Set<String> SERVER_OWNED = Set.of("apiVersion", "kind", "metadata");

    private SchemaFit() {
    }

    /** What in {@code object} the CRD of {@code kind} would refuse, each naming its path; empty when it fits. */
    public static List<String> problems(JsonNode object, Class<? extends HasMetadata> kind) {
        JSONSchemaProps schema = CommittedCrds.of(kind).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!SERVER_OWNED.contains(field.getKey())) {
                check(field.getValue(), schema.getProperties().get(field.getKey()), "." + field.getKey(), problems);
            }
        }
        return problems;
    }

    private static void check(JsonNode node, JSONSchemaProps schema, String path, List<String> problems) {
        if (schema == null) {
            problems.add(path + ": not in the schema");
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
            return;
        }
        if (schema.getType() != null && !schema.getType().equals(typeOf(node))) {
            problems.add(path + ": is " + typeOf(node) + ", schema says " + schema.getType());
            return;
        }
        if (!isEmpty(schema.getEnum()) && !schema.getEnum().contains(node)) {
            problems.add(path + ": " + node + " is not one of " + schema.getEnum());
        }
        if (node.isObject() && !isEmpty(schema.getRequired())) {
            schema.getRequired().stream().filter(name -> !node.has(name))
                    .forEach(name -> problems.add(path + "." + name + ": required"));
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), schema.getItems().getSchema(), path + "[" + i + "]", problems);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JSONSchemaProps child = !isEmpty(schema.getProperties()) ? schema.getProperties().get(field.getKey())
                        : schema.getAdditionalProperties() != null ? schema.getAdditionalProperties().getSchema() : null;
                check(field.getValue(), child, path + "." + field.getKey(), problems);
            }
        }
    }

    // fabric8 hands out empty collections for unset schema keywords
    private static boolean isEmpty(Object collectionOrMap) {
        return collectionOrMap == null
                || (collectionOrMap instanceof java.util.Collection && ((java.util.Collection<?>) collectionOrMap).isEmpty())
                || (collectionOrMap instanceof Map && ((Map<?, ?>) collectionOrMap).isEmpty());
    }

    private static String typeOf(JsonNode node) {
        if (node.isTextual()) return "string";
        if (node.isIntegralNumber()) return "integer";
        if (node.isNumber()) return "number";
        if (node.isBoolean()) return "boolean";
        if (node.isArray()) return "array";
        if (node.isObject()) return "object";
        return "null";
    }
}
