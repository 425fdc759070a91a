package dev.kiln.capi.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * generateType, configPatches[].op and hostname.source are strings in Java (so an unknown value still reads and is
 * reported by the reconciler); the schema must still restrict them to the enum values.
 */
class KilnConfigSchemaEnumsTest {

    private static JSONSchemaProps configSpec(JSONSchemaProps root, boolean template) {
        JSONSchemaProps spec = root.getProperties().get("spec");
        return template ? spec.getProperties().get("template").getProperties().get("spec") : spec;
    }

    private static List<String> enumOf(JSONSchemaProps schema) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : schema.getEnum()) {
            values.add(value.asText());
        }
        return values;
    }

    private static void assertRestricted(JSONSchemaProps spec) {
        assertEquals(List.of("controlplane", "none", "worker"), enumOf(spec.getProperties().get("generateType")));
        assertEquals(List.of("add", "copy", "move", "remove", "replace", "test"),
                enumOf(spec.getProperties().get("configPatches").getItems().getSchema().getProperties().get("op")));
        assertEquals(List.of("", "InfrastructureName", "MachineName"),
                enumOf(spec.getProperties().get("hostname").getProperties().get("source")));
    }

    @Test
    void kilnConfigSchemaKeepsTheEnums() {
        assertRestricted(configSpec(
                CommittedCrds.of(KilnConfig.class).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), false));
    }

    @Test
    void kilnConfigTemplateSchemaKeepsTheEnums() {
        assertRestricted(configSpec(
                CommittedCrds.of(KilnConfigTemplate.class).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(),
                true));
    }
}
