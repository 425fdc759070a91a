package dev.kiln.capi.crd;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the committed crds/ directory; the build has checked it against the generator before tests run. */
public final class CommittedCrds {
    private CommittedCrds() {}

    static Path dir() {
        return Path.of(System.getProperty("kiln.crds.dir", "../crds"));
    }

    static String fileName(Class<? extends HasMetadata> kind) {
        return HasMetadata.getPlural(kind) + "." + HasMetadata.getGroup(kind) + ".yaml";
    }

    public static CustomResourceDefinition of(Class<? extends HasMetadata> kind) {
        return read(dir().resolve(fileName(kind)));
    }

    static CustomResourceDefinition read(Path file) {
        try {
            return Serialization.unmarshal(Files.readString(file, StandardCharsets.UTF_8), CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
