package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies patches to a machine config's YAML and returns the result.
 *
 * <p>JSON patches are applied first, in order, then strategic merge patches, in order, all to the base's v1alpha1
 * document, which is written back in its own key order with every key it holds. Typed Talos documents in the base are
 * written back exactly as they were. The base need not be valid on its own; the patched result must be. Problems from a patch document have its name in front of their path,
 * e.g. {@code jsonPatches[1] patch[0] (remove /machine/install)}.
 */
public final class ConfigPatcher {

    private final ConfigParser parser = new ConfigParser();

    /**
     * Returns the patched config.
     *
     * @throws ConfigPatchException naming every problem with the base or the patch documents, the first patch that
     *     failed to apply, or every problem with the patched config
     */
    public String apply(String baseYaml, List<String> jsonPatches, List<String> strategicPatches)
            throws ConfigPatchException {
        List<ConfigProblem> problems = new ArrayList<>();
        YamlTrees.LoadedDocuments base = YamlTrees.loadAll(baseYaml);
        problems.addAll(base.problems());
        int main = mainDocument(base.documents());
        Object tree = main < 0 ? null : base.documents().get(main).tree();
        if (base.ok() && !(tree instanceof Map)) {
            problems.add(new ConfigProblem(ConfigTreeReader.ROOT_PATH, "must be a mapping"));
        }
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

        String patched = YamlTrees.dump(tree);
        StringBuilder out = new StringBuilder();
        List<YamlTrees.SourceDocument> documents = base.documents();
        for (int i = 0; i < documents.size(); i++) {
            out.append(i != main ? documents.get(i).text() : (i == 0 ? "" : "---\n") + patched);
        }
        String rendered = documents.isEmpty() ? patched : out.toString();
        // Held to the same rules as on a node: warnings pass, errors refuse.
        if (parser.parse(rendered) instanceof ParseResult.Invalid invalid) {
            throw new ConfigPatchException(invalid.problems());
        }
        return rendered;
    }

    // The v1alpha1 document is the one without a kind; -1 when there is none.
    private static int mainDocument(List<YamlTrees.SourceDocument> documents) {
        for (int i = 0; i < documents.size(); i++) {
            if (!TypedDocuments.isTyped(documents.get(i).tree())) {
                return i;
            }
        }
        return -1;
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
