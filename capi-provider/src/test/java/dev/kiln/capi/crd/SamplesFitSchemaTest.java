package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.capi.api.KilnApi;
import dev.kiln.capi.api.Samples;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No API server can run here, so this walks each sample manifest through its CRD schema: every field must be
 * declared, of the declared type, and within its enum. It catches a Java field the schema lost, or the reverse.
 */
class SamplesFitSchemaTest {
    private static final Set<String> SERVER_OWNED = Set.of("apiVersion", "kind", "metadata");

    static Stream<Class<? extends HasMetadata>> kinds() {
        return KilnApi.KINDS.stream();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void sampleUsesOnlyDeclaredFieldsTypesAndValues(Class<? extends HasMetadata> kind) {
        JsonNode sample = Samples.tree(Samples.text(kind));
        JSONSchemaProps schema = CommittedCrds.of(kind).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
        List<String> problems = new ArrayList<>();

        for (Iterator<Map.Entry<String, JsonNode>> it = sample.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!SERVER_OWNED.contains(field.getKey())) {
                check(field.getValue(), schema.getProperties().get(field.getKey()), "." + field.getKey(), problems);
            }
        }

        assertEquals(List.of(), problems);
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
