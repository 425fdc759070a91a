package dev.kiln.capi.crd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fails when the committed CRDs differ from freshly generated ones, so a type change cannot ship with old CRDs.
 *
 * <p>Usage: {@code CrdCheck <generatedDir> <committedDir>}
 */
public final class CrdCheck {
    private CrdCheck() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: CrdCheck <generatedDir> <committedDir>");
        }
        List<String> stale = staleFiles(Path.of(args[0]), Path.of(args[1]));
        if (!stale.isEmpty()) {
            throw new IllegalStateException("crds/ is stale: run hack/update-crds. Differing: "
                    + stale.stream().map(f -> "crds/" + f).collect(Collectors.joining(", ")));
        }
    }

    /** @return the YAML file names that are missing, different or extra in {@code committed} */
    static List<String> staleFiles(Path generated, Path committed) throws IOException {
        Set<String> names = new TreeSet<>(yamlFiles(generated));
        names.addAll(yamlFiles(committed));
        List<String> stale = new ArrayList<>();
        for (String name : names) {
            Path want = generated.resolve(name);
            Path have = committed.resolve(name);
            if (!Files.isRegularFile(want) || !Files.isRegularFile(have) || Files.mismatch(want, have) != -1) {
                stale.add(name);
            }
        }
        return stale;
    }

    private static List<String> yamlFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).collect(Collectors.toList());
        }
    }
}
