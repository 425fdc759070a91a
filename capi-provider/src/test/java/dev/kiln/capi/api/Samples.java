package dev.kiln.capi.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The example manifests under src/test/resources/samples, one per kind, written as a user would. */
public final class Samples {
    private static final YAMLMapper YAML = new YAMLMapper();

    private Samples() {}

    public static String text(Class<? extends HasMetadata> kind) {
        String resource = "/samples/" + HasMetadata.getKind(kind) + ".yaml";
        try (InputStream in = Samples.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no sample " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses YAML or JSON into a tree, so two documents compare by content rather than by layout. */
    public static JsonNode tree(String yamlOrJson) {
        try {
            return YAML.readTree(yamlOrJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
