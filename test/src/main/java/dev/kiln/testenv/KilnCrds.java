package dev.kiln.testenv;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Registers the committed CRDs, so the management API stand-in knows which kinds have status subresources. */
public final class KilnCrds {

    private KilnCrds() {
    }

    public static Path directory() {
        return Path.of(System.getProperty("kiln.crds.dir", "../crds"));
    }

    public static void install(KubernetesClient client) {
        try (Stream<Path> files = Files.list(directory())) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file),
                        CustomResourceDefinition.class);
                client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading CRDs from " + directory(), e);
        }
    }
}
