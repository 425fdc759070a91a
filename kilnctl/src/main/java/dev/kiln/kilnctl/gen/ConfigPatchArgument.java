package dev.kiln.kilnctl.gen;

import dev.kiln.kilnctl.ConfigFiles;
import dev.kiln.machinery.config.ConfigPatchException;
import dev.kiln.machinery.config.ConfigPatcher;
import dev.kiln.machinery.config.ConfigProblem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * One {@code --config-patch} value, as talosctl takes it: {@code @file} or the patch inline. A patch whose document is
 * a list is an RFC 6902 JSON patch; anything else is a strategic merge patch (a partial machine config, JSON or YAML,
 * several documents allowed).
 */
record ConfigPatchArgument(String flag, String value, String text, Kind kind) {

    enum Kind { JSON_PATCH, STRATEGIC_MERGE }

    static ConfigPatchArgument read(String flag, String value) throws IOException {
        String text = value.startsWith("@") ? ConfigFiles.readText(Path.of(value.substring(1))) : value;
        return new ConfigPatchArgument(flag, value, text, kindOf(flag, value, text));
    }

    private static Kind kindOf(String flag, String value, String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException(flag + " " + value + ": the patch is empty");
        }
        Object first;
        try {
            first = new Yaml(new LoaderOptions()).loadAll(text).iterator().next();
        } catch (YAMLException e) {
            throw new IllegalArgumentException(flag + " " + value + ": not JSON or YAML: " + e.getMessage(), e);
        }
        return first instanceof List ? Kind.JSON_PATCH : Kind.STRATEGIC_MERGE;
    }

    /** The config with each patch applied in the order given, with problems named by the flag and value. */
    static String applyAll(String baseYaml, List<ConfigPatchArgument> patches) {
        String patched = baseYaml;
        ConfigPatcher patcher = new ConfigPatcher();
        for (ConfigPatchArgument patch : patches) {
            try {
                patched = patch.kind == Kind.JSON_PATCH
                        ? patcher.apply(patched, List.of(patch.text), List.of())
                        : patcher.apply(patched, List.of(), List.of(patch.text));
            } catch (ConfigPatchException e) {
                throw new IllegalArgumentException(patch.flag + " " + patch.shortValue() + ": " + e.problems().stream()
                        .map(ConfigPatchArgument::withoutPatcherName).collect(Collectors.joining("; ")), e);
            }
        }
        return patched;
    }

    // One patch at a time, so the patcher's own document name (jsonPatches[0] ...) says nothing the flag does not.
    private static String withoutPatcherName(ConfigProblem problem) {
        return new ConfigProblem(problem.path().replaceFirst("^(jsonPatches|strategicPatches)\\[0] ", ""),
                problem.message()).toString();
    }

    private String shortValue() {
        String oneLine = value.replace('\n', ' ');
        return oneLine.length() > 60 ? oneLine.substring(0, 57) + "..." : oneLine;
    }
}
