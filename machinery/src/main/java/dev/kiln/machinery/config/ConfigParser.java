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
     * Parses a config: one v1alpha1 document, plus any typed Talos documents ({@code apiVersion}/{@code kind}),
     * which Kiln keeps as written. Returns the config or every error found; warnings name what is valid Talos but not
     * acted on by Kiln. A stream over {@link #MAX_CONFIG_BYTES} is refused before any parsing.
     */
    public ParseResult parse(String yaml) {
        YamlTrees.LoadedDocuments loaded = YamlTrees.loadAll(yaml);
        if (!loaded.ok()) {
            return new ParseResult.Invalid(loaded.problems());
        }
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        List<Map.Entry<Integer, Map<?, ?>>> typed = TypedDocuments.of(loaded.documents());
        typed.forEach(entry -> TypedDocuments.check(entry.getValue(), entry.getKey(), errors, warnings));
        List<Object> v1alpha1 = loaded.documents().stream()
                .map(YamlTrees.SourceDocument::tree)
                .filter(tree -> !TypedDocuments.isTyped(tree) && (tree != null || loaded.documents().size() == 1))
                .toList();
        if (v1alpha1.size() > 1) {
            errors.add(0, new ConfigProblem(YamlTrees.YAML_PATH,
                    "expected one v1alpha1 document (the one without kind), found " + v1alpha1.size()));
            return new ParseResult.Invalid(errors, warnings);
        }
        Object main = v1alpha1.isEmpty() ? null : v1alpha1.get(0);
        // The key check sees the document as written; the reader also sees what Kiln reads from typed documents.
        ParseResult result = parseTree(main, TypedDocuments.withReadFields(main, typed, errors));
        errors.addAll(0, result instanceof ParseResult.Invalid invalid ? invalid.problems() : List.of());
        warnings.addAll(0, result.warnings());
        return errors.isEmpty() ? new ParseResult.Parsed(((ParseResult.Parsed) result).config(), warnings)
                : new ParseResult.Invalid(errors, warnings);
    }

    /**
     * Only {@code machine.ca} of a document that may fail validation otherwise: a node whose stored config no longer
     * validates still proves its identity, and checks its clients, with the CA that config named.
     */
    public Optional<PemPair> machineCa(String yaml) {
        YamlTrees.LoadedDocuments loaded = YamlTrees.loadAll(yaml);
        for (YamlTrees.SourceDocument source : loaded.documents()) {
            if (source.tree() instanceof Map<?, ?> document && !TypedDocuments.isTyped(document)
                    && document.get("machine") instanceof Map<?, ?> machine
                    && machine.get("ca") instanceof Map<?, ?> ca
                    && ca.get("crt") instanceof String crt && ca.get("key") instanceof String key) {
                return Optional.of(new PemPair(crt, key));
            }
        }
        return Optional.empty();
    }

    /** Same as {@link #parse(String)} for one v1alpha1 document already loaded into plain maps, lists and scalars. */
    public ParseResult parseTree(Object tree) {
        return parseTree(tree, tree);
    }

    private ParseResult parseTree(Object tree, Object effective) {
        List<ConfigProblem> problems = new ArrayList<>();
        MachineConfig config = ConfigTreeReader.read(effective, problems);
        List<ConfigProblem> warnings = List.of();
        if (tree instanceof Map<?, ?> document) {
            TalosKeyCheck.Findings findings = TalosKeyCheck.check(document, TalosKeyCatalogue.INSTANCE);
            problems.addAll(findings.errors());
            warnings = findings.warnings();
        }
        if (config == null) {
            return new ParseResult.Invalid(problems, warnings);
        }
        List<ConfigProblem> shapeProblems = List.copyOf(problems);
        for (ConfigProblem problem : validator.validate(config)) {
            // A field with a shape problem was read as absent; don't also call it missing.
            if (!isCoveredBy(problem, shapeProblems)) {
                problems.add(problem);
            }
        }
        return problems.isEmpty() ? new ParseResult.Parsed(config, warnings) : new ParseResult.Invalid(problems, warnings);
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
