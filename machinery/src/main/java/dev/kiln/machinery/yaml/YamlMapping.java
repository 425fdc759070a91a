package dev.kiln.machinery.yaml;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/** A mapping read by dotted path that records problems rather than throwing, so one pass reports them all. */
public final class YamlMapping {

    /** Path used for problems that concern the whole document. */
    public static final String DOCUMENT = "(document)";

    private final String path;
    private final Map<String, Object> entries;
    private final YamlProblems problems;
    private final Set<String> consumed = new HashSet<>();

    private YamlMapping(String path, Map<String, Object> entries, YamlProblems problems) {
        this.path = path;
        this.entries = entries;
        this.problems = problems;
    }

    /** Parses a document whose root must be a mapping; syntax errors become problems. */
    public static YamlMapping parse(String text, YamlProblems problems) {
        Object document;
        try {
            document = YamlText.load(text);
        } catch (YAMLException e) {
            problems.add(DOCUMENT, describe(e));
            return absent("", problems);
        }
        if (document == null || "".equals(document)) {
            problems.add(DOCUMENT, "is empty");
            return absent("", problems);
        }
        return of("", document, problems, DOCUMENT);
    }

    public String path() {
        return path;
    }

    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean isPresent() {
        return entries != null;
    }

    /** Records a problem about one of this mapping's keys. */
    public void problem(String key, String message) {
        problems.add(pathOf(key), message);
    }

    /** Keys in document order; reading them marks them as known. */
    public List<String> keys() {
        if (entries == null) {
            return List.of();
        }
        consumed.addAll(entries.keySet());
        return List.copyOf(entries.keySet());
    }

    public String optionalString(String key) {
        Object value = raw(key);
        if (isBlank(value)) {
            return null;
        }
        if (!(value instanceof String text)) {
            problem(key, "must be a string");
            return null;
        }
        return text;
    }

    public String requiredString(String key) {
        if (entries != null && isBlank(entries.get(key))) {
            consumed.add(key);
            problem(key, "is required");
            return null;
        }
        return optionalString(key);
    }

    /** A converter's IllegalArgumentException is reported as "path: not a valid {expectation}"; null then. */
    public <T> T required(String key, String expectation, Function<String, T> converter) {
        String text = requiredString(key);
        return text == null ? null : convert(key, text, expectation, converter);
    }

    /** Like {@link #required} but an absent value yields null without a problem. */
    public <T> T optional(String key, String expectation, Function<String, T> converter) {
        String text = optionalString(key);
        return text == null ? null : convert(key, text, expectation, converter);
    }

    /** An absent list reads as empty; every element must be a string. */
    public List<String> stringList(String key) {
        Object value = raw(key);
        if (isBlank(value)) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            problem(key, "must be a list of strings");
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String text && !text.isBlank()) {
                strings.add(text);
            } else {
                problems.add(pathOf(key) + "[" + i + "]", "must be a non-empty string");
            }
        }
        return List.copyOf(strings);
    }

    /** A missing required mapping is reported once; reads from the returned stand-in report nothing more. */
    public YamlMapping requiredMapping(String key) {
        if (entries != null && isBlank(entries.get(key))) {
            consumed.add(key);
            problem(key, "is required");
            return absent(pathOf(key), problems);
        }
        return optionalMapping(key);
    }

    public YamlMapping optionalMapping(String key) {
        Object value = raw(key);
        if (isBlank(value)) {
            return absent(pathOf(key), problems);
        }
        return of(pathOf(key), value, problems, pathOf(key));
    }

    /** Reports every key that no getter asked for, so typos do not pass silently. */
    public void rejectUnknownKeys() {
        if (entries == null) {
            return;
        }
        for (String key : entries.keySet()) {
            if (!consumed.contains(key)) {
                problem(key, "unknown key");
            }
        }
    }

    private Object raw(String key) {
        consumed.add(key);
        return entries == null ? null : entries.get(key);
    }

    private <T> T convert(String key, String text, String expectation, Function<String, T> converter) {
        try {
            return converter.apply(text);
        } catch (IllegalArgumentException e) {
            problem(key, "not a valid " + expectation);
            return null;
        }
    }

    private static YamlMapping of(String path, Object value, YamlProblems problems, String problemPath) {
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(problemPath, "must be a mapping");
            return absent(path, problems);
        }
        Map<String, Object> entries = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() instanceof String key) {
                entries.put(key, entry.getValue());
            } else {
                problems.add(problemPath, "keys must be plain strings, found " + entry.getKey());
            }
        }
        return new YamlMapping(path, entries, problems);
    }

    private static YamlMapping absent(String path, YamlProblems problems) {
        return new YamlMapping(path, null, problems);
    }

    private static boolean isBlank(Object value) {
        return value == null || (value instanceof String text && text.isBlank());
    }

    private static String describe(YAMLException e) {
        if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            return "invalid YAML at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1)
                    + ": " + marked.getProblem();
        }
        return "invalid YAML: " + e.getMessage();
    }
}
