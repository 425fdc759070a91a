package dev.kiln.capi.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Every CEL rule in the committed crds/, found by walking each version's openAPIV3Schema. */
final class CrdCelRules {
    static final String ANY_ITEM = "[*]";

    private CrdCelRules() {}

    static List<CelRule> all() {
        List<CelRule> rules = new ArrayList<>();
        try (Stream<Path> files = Files.list(CommittedCrds.dir())) {
            files.filter(f -> f.toString().endsWith(".yaml")).sorted()
                    .forEach(f -> rules.addAll(in(f.getFileName().toString(), CommittedCrds.read(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rules;
    }

    static List<CelRule> in(String fileName, CustomResourceDefinition crd) {
        List<CelRule> rules = new ArrayList<>();
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            collect(fileName, version.getSchema().getOpenAPIV3Schema(), "", rules);
        }
        return rules;
    }

    /** The schema at {@code path} (as {@link CelRule#path()}) under {@code root}, or null when there is none. */
    static JSONSchemaProps schemaAt(JSONSchemaProps root, String path) {
        JSONSchemaProps node = root;
        for (String step : steps(path)) {
            if (node == null) {
                return null;
            }
            if (step.equals(ANY_ITEM)) {
                node = node.getItems() != null ? node.getItems().getSchema()
                        : node.getAdditionalProperties() != null ? node.getAdditionalProperties().getSchema() : null;
            } else {
                node = node.getProperties() == null ? null : node.getProperties().get(step);
            }
        }
        return node;
    }

    /** {@code .spec.configPatches[*].path} as spec, configPatches, [*], path. */
    static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        for (String part : path.replace(ANY_ITEM, "." + ANY_ITEM).split("\\.")) {
            if (!part.isEmpty()) {
                steps.add(part);
            }
        }
        return steps;
    }

    private static void collect(String fileName, JSONSchemaProps schema, String path, List<CelRule> rules) {
        if (schema == null) {
            return;
        }
        if (schema.getXKubernetesValidations() != null) {
            for (ValidationRule r : schema.getXKubernetesValidations()) {
                rules.add(new CelRule(fileName, path.isEmpty() ? "." : path, r.getRule(), r.getMessage(),
                        r.getFieldPath(), r.getReason(), Boolean.TRUE.equals(r.getOptionalOldSelf())));
            }
        }
        if (schema.getProperties() != null) {
            for (Map.Entry<String, JSONSchemaProps> p : schema.getProperties().entrySet()) {
                collect(fileName, p.getValue(), path + "." + p.getKey(), rules);
            }
        }
        if (schema.getItems() != null) {
            collect(fileName, schema.getItems().getSchema(), path + ANY_ITEM, rules);
        }
        if (schema.getAdditionalProperties() != null) {
            collect(fileName, schema.getAdditionalProperties().getSchema(), path + ANY_ITEM, rules);
        }
    }
}
