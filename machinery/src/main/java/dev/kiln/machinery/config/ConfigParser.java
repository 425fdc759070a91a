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

    /** The {@code apiVersion} of every typed document Talos has. */
    static final String TYPED_API_VERSION = "v1alpha1";

    /**
     * Parses a config: one v1alpha1 document, plus any typed Talos documents ({@code apiVersion}/{@code kind}),
     * which Kiln keeps as written and reports as warnings. Returns the config or every error found. A stream over
     * {@link #MAX_CONFIG_BYTES} is refused before any parsing.
     */
    public ParseResult parse(String yaml) {
        YamlTrees.LoadedDocuments loaded = YamlTrees.loadAll(yaml);
        if (!loaded.ok()) {
            return new ParseResult.Invalid(loaded.problems());
        }
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        List<Object> v1alpha1 = new ArrayList<>();
        List<YamlTrees.SourceDocument> documents = loaded.documents();
        for (int i = 0; i < documents.size(); i++) {
            Object tree = documents.get(i).tree();
            if (tree instanceof Map<?, ?> map && map.containsKey("kind")) {
                checkTypedDocument(map, i + 1, errors, warnings);
            } else if (tree != null || documents.size() == 1) {
                v1alpha1.add(tree);
            }
        }
        if (v1alpha1.size() > 1) {
            errors.add(new ConfigProblem(YamlTrees.YAML_PATH,
                    "expected one v1alpha1 document (the one without kind), found " + v1alpha1.size()));
            return new ParseResult.Invalid(errors, warnings);
        }
        ParseResult main = parseTree(v1alpha1.isEmpty() ? null : v1alpha1.get(0));
        errors.addAll(0, main instanceof ParseResult.Invalid invalid ? invalid.problems() : List.of());
        warnings.addAll(0, main.warnings());
        return errors.isEmpty() ? new ParseResult.Parsed(((ParseResult.Parsed) main).config(), warnings)
                : new ParseResult.Invalid(errors, warnings);
    }

    // Typed documents are Talos's own; Kiln acts on none of them and keeps them as written.
    private static void checkTypedDocument(Map<?, ?> document, int number, List<ConfigProblem> errors,
            List<ConfigProblem> warnings) {
        Object kind = document.get("kind");
        String name = (kind instanceof String text ? text : "document") + " (document " + number + ")";
        if (!(kind instanceof String text) || !TalosKeyCatalogue.INSTANCE.isTalosDocumentKind(text)) {
            errors.add(new ConfigProblem(name + ".kind", "unknown document kind " + kind
                    + ": not a Talos config document"));
        } else if (!TYPED_API_VERSION.equals(document.get("apiVersion"))) {
            errors.add(new ConfigProblem(name + ".apiVersion", "must be " + TYPED_API_VERSION));
        } else {
            warnings.add(new ConfigProblem(name, "Talos document, not used by Kiln; kept unchanged"));
        }
    }

    /**
     * Only {@code machine.ca} of a document that may fail validation otherwise: a node whose stored config no longer
     * validates still proves its identity, and checks its clients, with the CA that config named.
     */
    public Optional<PemPair> machineCa(String yaml) {
        YamlTrees.LoadedDocuments loaded = YamlTrees.loadAll(yaml);
        for (YamlTrees.SourceDocument source : loaded.documents()) {
            if (source.tree() instanceof Map<?, ?> document && !document.containsKey("kind")
                    && document.get("machine") instanceof Map<?, ?> machine
                    && machine.get("ca") instanceof Map<?, ?> ca
                    && ca.get("crt") instanceof String crt && ca.get("key") instanceof String key) {
                return Optional.of(new PemPair(crt, key));
            }
        }
        return Optional.empty();
    }

    /** Same as {@link #parse(String)} for a document already loaded into plain maps, lists and scalars. */
    public ParseResult parseTree(Object tree) {
        List<ConfigProblem> problems = new ArrayList<>();
        MachineConfig config = ConfigTreeReader.read(tree, problems);
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
