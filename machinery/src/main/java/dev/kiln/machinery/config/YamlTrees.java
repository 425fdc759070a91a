package dev.kiln.machinery.config;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.kiln.machinery.yaml.YamlText;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Converts between YAML text and plain trees: {@code Map<String, Object>} (insertion ordered), {@code List<Object>},
 * {@code String}, {@code Boolean}, {@code Number} and {@code null}.
 */
final class YamlTrees {

    /** A loaded document: {@code tree} is {@code null} for an empty document or when {@code problems} is not empty. */
    record Loaded(Object tree, List<ConfigProblem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    /** One document of a multi-document stream: its plain tree and its exact text, separator line included. */
    record SourceDocument(Object tree, String text) {
    }

    /** Every document of a stream; {@code documents} is empty when {@code problems} is not. */
    record LoadedDocuments(List<SourceDocument> documents, List<ConfigProblem> problems) {
        boolean ok() {
            return problems.isEmpty();
        }
    }

    static final String YAML_PATH = "(yaml)";

    /** Largest document accepted, in UTF-8 bytes; checked before any parsing. */
    static final int MAX_DOCUMENT_BYTES = 1024 * 1024;
    // Far beyond any real config, far below what exhausts the stack or the heap.
    private static final int MAX_NESTING_DEPTH = 64;
    private static final int MAX_ALIASES = 50;
    // More than a 1 MiB document can hold without aliases (a flow list of one-character items holds about 524,000).
    private static final int MAX_VALUES = 1_000_000;

    private YamlTrees() {
    }

    /** Loads exactly one YAML document; syntax errors become one {@code (yaml)} problem with line and column. */
    static Loaded load(String text) {
        LoadedDocuments loaded = loadAll(text);
        if (!loaded.ok()) {
            return new Loaded(null, loaded.problems());
        }
        if (loaded.documents().size() > 1) {
            return failed("expected one YAML document, found " + loaded.documents().size());
        }
        return new Loaded(loaded.documents().isEmpty() ? null : loaded.documents().get(0).tree(), List.of());
    }

    /**
     * Loads every document of a stream. Each keeps its exact text, from its start (its {@code ---} line, if any) to
     * the next document's start, so that the texts joined give back {@code text} unchanged.
     */
    static LoadedDocuments loadAll(String text) {
        if (exceedsSize(text)) {
            return failedAll("document is larger than " + MAX_DOCUMENT_BYTES + " bytes (1 MiB), the limit for a config");
        }
        List<Object> documents = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        try {
            for (Object document : loader().loadAll(text)) {
                documents.add(document);
            }
            if (documents.size() > 1) {
                for (Event event : loader().parse(new StringReader(text))) {
                    if (event instanceof DocumentStartEvent) {
                        starts.add(text.offsetByCodePoints(0, event.getStartMark().getIndex()));
                    }
                }
            } else {
                starts.add(0); // one document or none: the whole text, with no second parse
            }
        } catch (MarkedYAMLException e) {
            return failedAll(describe(e));
        } catch (YAMLException e) {
            return failedAll(e.getMessage());
        } catch (RuntimeException e) {
            // Explicit tags such as "!!int abc" fail inside snakeyaml with plain runtime exceptions.
            return failedAll("cannot construct a value: " + e.getMessage());
        }
        if (documents.size() > 1 && starts.size() != documents.size()) {
            return failedAll("found " + documents.size() + " documents but " + starts.size() + " document starts");
        }
        List<ConfigProblem> problems = new ArrayList<>();
        List<SourceDocument> loaded = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            int from = i == 0 ? 0 : starts.get(i);
            int to = i + 1 < starts.size() ? starts.get(i + 1) : text.length();
            Object tree = new Normalizer(problems).normalize(documents.get(i), "");
            loaded.add(new SourceDocument(tree, text.substring(from, to)));
        }
        return problems.isEmpty() ? new LoadedDocuments(List.copyOf(loaded), List.of())
                : new LoadedDocuments(List.of(), problems);
    }

    private static LoadedDocuments failedAll(String message) {
        return new LoadedDocuments(List.of(), List.of(new ConfigProblem(YAML_PATH, message)));
    }

    /** True when {@code text} needs more than {@link #MAX_DOCUMENT_BYTES} in UTF-8, counted without encoding it. */
    static boolean exceedsSize(String text) {
        if (text.length() > MAX_DOCUMENT_BYTES) {
            return true;
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 2; // with its low surrogate, 4 in all
            } else {
                bytes += Character.isLowSurrogate(c) ? 2 : 3;
            }
        }
        return bytes > MAX_DOCUMENT_BYTES;
    }

    /** Writes a plain tree as block-style YAML without anchors. */
    static String dump(Object tree) {
        return YamlText.dump(tree);
    }

    private static Yaml loader() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_DOCUMENT_BYTES);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(), options,
                new CoreSchemaResolver());
    }

    private static Loaded failed(String message) {
        return new Loaded(null, List.of(new ConfigProblem(YAML_PATH, message)));
    }

    private static String describe(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
        if (mark == null) {
            return problem;
        }
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + problem;
    }

    /**
     * Copies the loaded value, turning scalar keys into strings and rejecting YAML-only types. Aliases are expanded;
     * one that contains itself is refused, and so is an expansion beyond {@link #MAX_VALUES} values.
     */
    private static final class Normalizer {
        private final List<ConfigProblem> problems;
        private final Set<Object> enclosing = Collections.newSetFromMap(new IdentityHashMap<>());
        private int values;

        Normalizer(List<ConfigProblem> problems) {
            this.problems = problems;
        }

        Object normalize(Object value, String path) {
            if (++values > MAX_VALUES) {
                if (values == MAX_VALUES + 1) {
                    problems.add(new ConfigProblem(pathOr(path),
                            "document expands to more than " + MAX_VALUES + " values (aliases)"));
                }
                return null;
            }
            if (value instanceof Map || value instanceof List) {
                if (!enclosing.add(value)) {
                    problems.add(new ConfigProblem(pathOr(path), "recursive alias: the value contains itself"));
                    return null;
                }
                try {
                    return value instanceof Map ? copyMap((Map<?, ?>) value, path) : copyList((List<?>) value, path);
                } finally {
                    enclosing.remove(value);
                }
            }
            if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
                return value;
            }
            problems.add(new ConfigProblem(pathOr(path),
                    "unsupported YAML value (use mappings, lists, strings, numbers, booleans or null)"));
            return null;
        }

        private Map<String, Object> copyMap(Map<?, ?> map, String path) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = entry.getKey();
                if (key instanceof Map || key instanceof List) {
                    problems.add(new ConfigProblem(pathOr(path), "mapping keys must be scalars"));
                    continue;
                }
                String name = String.valueOf(key);
                copy.put(name, normalize(entry.getValue(), path.isEmpty() ? name : path + "." + name));
            }
            return copy;
        }

        private List<Object> copyList(List<?> list, String path) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(normalize(list.get(i), path + "[" + i + "]"));
            }
            return copy;
        }
    }

    private static String pathOr(String path) {
        return path.isEmpty() ? "(root)" : path;
    }

    /**
     * Plain-scalar typing close to the YAML 1.2 core schema, so that hostnames such as {@code no} or {@code on} and
     * numbers with leading zeros stay strings, and timestamps are never implied.
     */
    private static final class CoreSchemaResolver extends Resolver {
        private static final Pattern CORE_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern CORE_INT = Pattern.compile("^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$");
        private static final Pattern CORE_FLOAT = Pattern.compile(
                "^(?:[-+]?(?:[0-9]+\\.[0-9]*|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
                        + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");
        private static final Pattern CORE_NULL = Pattern.compile("^(?:~|null|Null|NULL| )$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, CORE_BOOL, "tfTF");
            addImplicitResolver(Tag.INT, CORE_INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, CORE_FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.NULL, CORE_NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
