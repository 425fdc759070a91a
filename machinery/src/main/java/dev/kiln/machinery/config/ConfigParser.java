package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a machine config from YAML. Every problem is collected: YAML syntax, shape (unknown keys, wrong types) and
 * value rules from {@link ConfigValidator}.
 */
public final class ConfigParser {

    /** The largest config accepted: 1 MiB of UTF-8, checked before parsing. */
    public static final int MAX_CONFIG_BYTES = YamlTrees.MAX_DOCUMENT_BYTES;

    private final ConfigValidator validator = new ConfigValidator();

    /**
     * Parses one YAML document into a valid config, or returns every problem found. A document over
     * {@link #MAX_CONFIG_BYTES} is refused before any parsing.
     */
    public ParseResult parse(String yaml) {
        YamlTrees.Loaded loaded = YamlTrees.load(yaml);
        if (!loaded.ok()) {
            return new ParseResult.Invalid(loaded.problems());
        }
        return parseTree(loaded.tree());
    }

    /**
     * Only {@code machine.ca} of a document that may fail validation otherwise: a node whose stored config no longer
     * validates still proves its identity, and checks its clients, with the CA that config named.
     */
    public Optional<PemPair> machineCa(String yaml) {
        YamlTrees.Loaded loaded = YamlTrees.load(yaml);
        if (!loaded.ok() || !(loaded.tree() instanceof Map<?, ?> document)
                || !(document.get("machine") instanceof Map<?, ?> machine)
                || !(machine.get("ca") instanceof Map<?, ?> ca)
                || !(ca.get("crt") instanceof String crt) || !(ca.get("key") instanceof String key)) {
            return Optional.empty();
        }
        return Optional.of(new PemPair(crt, key));
    }

    /** Same as {@link #parse(String)} for a document already loaded into plain maps, lists and scalars. */
    public ParseResult parseTree(Object tree) {
        List<ConfigProblem> problems = new ArrayList<>();
        MachineConfig config = ConfigTreeReader.read(tree, problems);
        if (config == null) {
            return new ParseResult.Invalid(problems);
        }
        List<ConfigProblem> shapeProblems = List.copyOf(problems);
        for (ConfigProblem problem : validator.validate(config)) {
            // A field with a shape problem was read as absent; don't also call it missing.
            if (!isCoveredBy(problem, shapeProblems)) {
                problems.add(problem);
            }
        }
        return problems.isEmpty() ? new ParseResult.Parsed(config) : new ParseResult.Invalid(problems);
    }

    /** Checks a config built in code with the same rules {@link #parse(String)} applies. */
    public List<ConfigProblem> validate(MachineConfig config) {
        return validator.validate(config);
    }

    private static boolean isCoveredBy(ConfigProblem problem, List<ConfigProblem> reported) {
        String path = problem.path();
        for (ConfigProblem earlier : reported) {
            String covered = earlier.path();
            if (path.equals(covered) || path.startsWith(covered + ".") || path.startsWith(covered + "[")) {
                return true;
            }
        }
        return false;
    }
}
