package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies patches to a machine config's YAML and returns the result as canonical YAML.
 *
 * <p>JSON patches are applied first, in order, then strategic merge patches, in order. The base need not be valid
 * on its own; the patched result must be. Problems from a patch document have its name in front of their path,
 * e.g. {@code jsonPatches[1] patch[0] (remove /machine/install)}.
 */
public final class ConfigPatcher {

    private final ConfigParser parser = new ConfigParser();
    private final ConfigWriter writer = new ConfigWriter();

    /**
     * Returns the patched config as written by {@link ConfigWriter}.
     *
     * @throws ConfigPatchException naming every problem with the base or the patch documents, the first patch that
     *     failed to apply, or every problem with the patched config
     */
    public String apply(String baseYaml, List<String> jsonPatches, List<String> strategicPatches)
            throws ConfigPatchException {
        List<ConfigProblem> problems = new ArrayList<>();
        Object tree = loadBase(baseYaml, problems);
        List<JsonPatch> json = new ArrayList<>();
        for (int i = 0; i < jsonPatches.size(); i++) {
            try {
                json.add(JsonPatch.parse(jsonPatches.get(i)));
            } catch (ConfigPatchException e) {
                problems.addAll(prefixed(jsonName(i), e.problems()));
            }
        }
        List<StrategicMergePatch> strategic = new ArrayList<>();
        for (int i = 0; i < strategicPatches.size(); i++) {
            try {
                strategic.add(StrategicMergePatch.parse(strategicPatches.get(i)));
            } catch (ConfigPatchException e) {
                problems.addAll(prefixed(strategicName(i), e.problems()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigPatchException(problems);
        }

        for (int i = 0; i < json.size(); i++) {
            try {
                tree = json.get(i).apply(tree);
            } catch (ConfigPatchException e) {
                throw new ConfigPatchException(prefixed(jsonName(i), e.problems()));
            }
        }
        for (StrategicMergePatch patch : strategic) {
            if (!(tree instanceof Map)) {
                throw new ConfigPatchException(new ConfigProblem(ConfigTreeReader.ROOT_PATH, "must be a mapping"));
            }
            tree = patch.apply((Map<?, ?>) tree);
        }

        ParseResult result = parser.parseTree(tree);
        if (result instanceof ParseResult.Invalid) {
            throw new ConfigPatchException(((ParseResult.Invalid) result).problems());
        }
        return writer.write(((ParseResult.Parsed) result).config());
    }

    private static Object loadBase(String baseYaml, List<ConfigProblem> problems) {
        YamlTrees.Loaded loaded = YamlTrees.load(baseYaml);
        problems.addAll(loaded.problems());
        if (loaded.ok() && !(loaded.tree() instanceof Map)) {
            problems.add(new ConfigProblem(ConfigTreeReader.ROOT_PATH, "must be a mapping"));
        }
        return loaded.tree();
    }

    private static String jsonName(int index) {
        return "jsonPatches[" + index + "]";
    }

    private static String strategicName(int index) {
        return "strategicPatches[" + index + "]";
    }

    private static List<ConfigProblem> prefixed(String documentName, List<ConfigProblem> problems) {
        List<ConfigProblem> named = new ArrayList<>();
        for (ConfigProblem problem : problems) {
            named.add(new ConfigProblem(documentName + " " + problem.path(), problem.message()));
        }
        return named;
    }
}
