package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An RFC 6902 JSON Patch (add, remove, replace, move, copy, test) applied to a plain tree. Applying works on a deep
 * copy and is atomic: either every operation succeeds or the caller gets a {@link ConfigPatchException} and the
 * input is untouched.
 *
 * <p>Problems name the operation, e.g. {@code patch[2] (replace /machine/foo): path does not exist}. Members an
 * operation does not use are ignored, as the RFC requires.
 */
public final class JsonPatch {

    static final String PATCH_PATH = "(patch)";

    private enum Kind {
        ADD, REMOVE, REPLACE, MOVE, COPY, TEST;

        String opName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean needsFrom() {
            return this == MOVE || this == COPY;
        }

        boolean needsValue() {
            return this == ADD || this == REPLACE || this == TEST;
        }

        static Kind fromOpName(Object op) {
            for (Kind kind : values()) {
                if (kind.opName().equals(op)) {
                    return kind;
                }
            }
            return null;
        }
    }

    private record Operation(int index, Kind kind, JsonPointer path, JsonPointer from, Object value) {
        String label() {
            String target = kind.needsFrom() ? shown(path) + " from " + shown(from) : shown(path);
            return "patch[" + index + "] (" + kind.opName() + " " + target + ")";
        }

        // The root pointer is the empty string, which would vanish from the label.
        private static String shown(JsonPointer pointer) {
            return pointer.isRoot() ? "\"\"" : pointer.toString();
        }
    }

    /** Why one operation could not be applied. */
    private static final class OperationFailed extends Exception {
        private static final long serialVersionUID = 1L;

        OperationFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final List<Operation> operations;

    private JsonPatch(List<Operation> operations) {
        this.operations = List.copyOf(operations);
    }

    /** Reads a patch written as YAML or JSON: a list of operation mappings. */
    public static JsonPatch parse(String text) throws ConfigPatchException {
        YamlTrees.Loaded loaded = YamlTrees.load(text);
        if (!loaded.ok()) {
            throw new ConfigPatchException(loaded.problems());
        }
        if (!(loaded.tree() instanceof List)) {
            throw new ConfigPatchException(new ConfigProblem(PATCH_PATH, "must be a list of operations"));
        }
        return of((List<?>) loaded.tree());
    }

    /** Builds a patch from already parsed operations (maps with op, path, from and value members). */
    public static JsonPatch of(List<?> operations) throws ConfigPatchException {
        List<ConfigProblem> problems = new ArrayList<>();
        List<Operation> parsed = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            Operation operation = operation(i, operations.get(i), problems);
            if (operation != null) {
                parsed.add(operation);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigPatchException(problems);
        }
        return new JsonPatch(parsed);
    }

    public int size() {
        return operations.size();
    }

    /** Returns a patched deep copy of {@code document}; {@code document} itself is never modified. */
    public Object apply(Object document) throws ConfigPatchException {
        Object result = PlainTrees.deepCopy(document);
        for (Operation operation : operations) {
            try {
                result = apply(result, operation);
            } catch (OperationFailed e) {
                throw new ConfigPatchException(new ConfigProblem(operation.label(), e.getMessage()));
            }
        }
        return result;
    }

    private static Operation operation(int index, Object raw, List<ConfigProblem> problems) {
        String at = "patch[" + index + "]";
        if (!(raw instanceof Map)) {
            problems.add(new ConfigProblem(at, "must be a mapping with op and path"));
            return null;
        }
        Map<?, ?> member = (Map<?, ?>) raw;
        int problemsBefore = problems.size();
        Kind kind = null;
        if (!member.containsKey("op")) {
            problems.add(new ConfigProblem(at + ".op", ConfigValidator.REQUIRED));
        } else {
            kind = Kind.fromOpName(member.get("op"));
            if (kind == null) {
                problems.add(new ConfigProblem(at + ".op", "must be one of add, remove, replace, move, copy, test"));
            }
        }
        JsonPointer path = pointer(member, "path", at, problems);
        JsonPointer from = null;
        if (kind != null && kind.needsFrom()) {
            from = pointer(member, "from", at, problems);
        }
        if (kind != null && kind.needsValue() && !member.containsKey("value")) {
            problems.add(new ConfigProblem(at + ".value", ConfigValidator.REQUIRED));
        }
        if (problems.size() > problemsBefore) {
            return null;
        }
        return new Operation(index, kind, path, from, PlainTrees.deepCopy(member.get("value")));
    }

    private static JsonPointer pointer(Map<?, ?> member, String name, String at, List<ConfigProblem> problems) {
        Object raw = member.get(name);
        if (raw == null) {
            problems.add(new ConfigProblem(at + "." + name, ConfigValidator.REQUIRED));
            return null;
        }
        if (!(raw instanceof String)) {
            problems.add(new ConfigProblem(at + "." + name, "must be a string"));
            return null;
        }
        try {
            return JsonPointer.parse((String) raw);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(at + "." + name, "not a JSON pointer: " + e.getMessage()));
            return null;
        }
    }

    private static Object apply(Object document, Operation operation) throws OperationFailed {
        switch (operation.kind()) {
            case ADD:
                return add(document, operation.path(), PlainTrees.deepCopy(operation.value()));
            case REMOVE:
                return remove(document, operation.path());
            case REPLACE:
                return replace(document, operation.path(), PlainTrees.deepCopy(operation.value()));
            case MOVE:
                return move(document, operation.from(), operation.path());
            case COPY:
                return add(document, operation.path(), PlainTrees.deepCopy(existing(document, operation.from(), "from")));
            case TEST:
                if (!PlainTrees.jsonEquals(existing(document, operation.path(), "path"), operation.value())) {
                    throw new OperationFailed("test failed: value at path differs from the expected value");
                }
                return document;
            default:
                throw new IllegalStateException("unhandled op " + operation.kind());
        }
    }

    private static Object existing(Object document, JsonPointer pointer, String role) throws OperationFailed {
        Object value = pointer.evaluate(document);
        if (value == JsonPointer.ABSENT) {
            throw new OperationFailed(role + " does not exist");
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Object add(Object document, JsonPointer path, Object value) throws OperationFailed {
        if (path.isRoot()) {
            return value;
        }
        Object parent = path.parent().evaluate(document);
        String token = path.lastToken();
        if (parent instanceof Map) {
            ((Map<String, Object>) parent).put(token, value);
        } else if (parent instanceof List) {
            List<Object> list = (List<Object>) parent;
            if (token.equals(JsonPointer.APPEND_TOKEN)) {
                list.add(value);
            } else {
                list.add(insertionIndex(token, list.size()), value);
            }
        } else if (parent == JsonPointer.ABSENT) {
            throw new OperationFailed("parent of path does not exist");
        } else {
            throw new OperationFailed("parent of path is not an object or array");
        }
        return document;
    }

    private static int insertionIndex(String token, int size) throws OperationFailed {
        int index = JsonPointer.arrayIndex(token);
        if (index < 0) {
            throw new OperationFailed("'" + token + "' is not an array index");
        }
        if (index > size) {
            throw new OperationFailed("array index " + index + " is out of bounds (size " + size + ")");
        }
        return index;
    }

    private static Object remove(Object document, JsonPointer path) throws OperationFailed {
        if (path.isRoot()) {
            throw new OperationFailed("cannot remove the whole document");
        }
        existing(document, path, "path");
        Object parent = path.parent().evaluate(document);
        if (parent instanceof Map) {
            ((Map<?, ?>) parent).remove(path.lastToken());
        } else {
            ((List<?>) parent).remove(JsonPointer.arrayIndex(path.lastToken()));
        }
        return document;
    }

    @SuppressWarnings("unchecked")
    private static Object replace(Object document, JsonPointer path, Object value) throws OperationFailed {
        existing(document, path, "path");
        if (path.isRoot()) {
            return value;
        }
        Object parent = path.parent().evaluate(document);
        if (parent instanceof Map) {
            ((Map<String, Object>) parent).put(path.lastToken(), value);
        } else {
            ((List<Object>) parent).set(JsonPointer.arrayIndex(path.lastToken()), value);
        }
        return document;
    }

    private static Object move(Object document, JsonPointer from, JsonPointer path) throws OperationFailed {
        if (from.isProperPrefixOf(path)) {
            throw new OperationFailed("cannot move a location into one of its own children");
        }
        Object value = existing(document, from, "from");
        if (from.equals(path)) {
            return document;
        }
        return add(remove(document, from), path, value);
    }
}
