package dev.kiln.machinery.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds Talos-generated configs for tests: the folder named by the system property {@code kiln.talos.configs}, one
 * sub-folder per release ({@code v1.3} ...) holding {@code *.yaml} files. See docs/talos-config.md for where they
 * come from.
 */
final class TalosConfigFolder {

    static final String PROPERTY = "kiln.talos.configs";

    private TalosConfigFolder() {
    }

    static Stream<Path> configs() throws IOException {
        String folder = System.getProperty(PROPERTY);
        Assumptions.assumeTrue(folder != null && Files.isDirectory(Path.of(folder)),
                "no Talos-generated configs: set -D" + PROPERTY + "=<folder>");
        try (Stream<Path> files = Files.walk(Path.of(folder))) {
            return files.filter(path -> path.toString().endsWith(".yaml")
                            && path.getParent().getFileName().toString().startsWith("v1."))
                    .sorted()
                    .toList()
                    .stream();
        }
    }
}
