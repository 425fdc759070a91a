package dev.kiln.machinery.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.CompatibilityFlags;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An RFC 6902 JSON Patch (add, remove, replace, move, copy, test) applied to a plain tree by zjsonpatch. Applying
 * works on a copy and is atomic: either every operation succeeds or the caller gets a {@link ConfigPatchException} and
 * the input is untouched.
 *
 * <p>Problems name the operation, e.g. {@code patch[2] (replace /machine/foo): path does not exist}. Members an
 * operation does not use are ignored, as the RFC requires.
 *
 * <p>What stays here beside the library, and why: zjsonpatch 7.5.2 checks neither the members of an operation nor
 * which operation failed, so reading the operations (every malformed one named by index and member) and labelling
 * failures are ours. Where that version departs from RFC 6902, a check here comes first: it treats a removal of a
 * missing array element ({@code -}) as done, compares {@code test} values by number type (1 differs from 1.0), reports
 * a move into the location's own child as a missing field, and throws a bare {@link IllegalStateException} for an
 * array index such as {@code 01}. It also decodes each pointer token twice ({@code ~01} becomes {@code /}), so paths
 * are handed to it encoded twice ({@link JsonPointer#libraryText()}).
 */
public final class JsonPatch {

    static final String PATCH_PATH = "(patch)";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // The RFC requires removing a missing member to fail; zjsonpatch only does so with this flag.
    private static final EnumSet<CompatibilityFlags> FLAGS = EnumSet.of(CompatibilityFlags.FORBID_REMOVE_MISSING_OBJECT);

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

        boolean needsExistingPath() {
            return this == REMOVE || this == REPLACE || this == TEST;
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

    private record Operation(int index, Kind kind, JsonPointer path, JsonPointer from, JsonNode value) {
        String label() {
            String target = kind.needsFrom() ? shown(path) + " from " + shown(from) : shown(path);
            return "patch[" + index + "] (" + kind.opName() + " " + target + ")";
        }

        // The root pointer is the empty string, which would vanish from the label.
        private static String shown(JsonPointer pointer) {
            return pointer.isRoot() ? "\"\"" : pointer.toString();
        }

        JsonNode asLibraryPatch() {
            ObjectNode operation = MAPPER.createObjectNode();
            operation.put("op", kind.opName());
            operation.put("path", path.libraryText());
            if (from != null) {
                operation.put("from", from.libraryText());
            }
            if (value != null) {
                operation.set("value", value);
            }
            ArrayNode patch = MAPPER.createArrayNode();
            patch.add(operation);
            return patch;
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

    /** Returns a patched copy of {@code document}; {@code document} itself is never modified. */
    public Object apply(Object document) throws ConfigPatchException {
        JsonNode result = MAPPER.valueToTree(document);
        for (Operation operation : operations) {
            try {
                result = apply(result, operation);
            } catch (OperationFailed e) {
                throw new ConfigPatchException(new ConfigProblem(operation.label(), e.getMessage()));
            }
        }
        return MAPPER.convertValue(result, Object.class);
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
        JsonNode value = kind.needsValue() ? MAPPER.valueToTree(member.get("value")) : null;
        return new Operation(index, kind, path, from, value);
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

    private static JsonNode apply(JsonNode document, Operation operation) throws OperationFailed {
        checkWhereTheLibraryDeparts(document, operation);
        if (operation.kind() == Kind.TEST) {
            // RFC 6902 compares numbers by value; the library compares node types too.
            Object actual = MAPPER.convertValue(at(document, operation.path()), Object.class);
            Object expected = MAPPER.convertValue(operation.value(), Object.class);
            if (!PlainTrees.jsonEquals(actual, expected)) {
                throw new OperationFailed("test failed: value at path differs from the expected value");
            }
            return document;
        }
        try {
            return io.fabric8.zjsonpatch.JsonPatch.apply(operation.asLibraryPatch(), document, FLAGS);
        } catch (JsonPatchException e) {
            throw new OperationFailed(e.getMessage());
        }
    }

    private static void checkWhereTheLibraryDeparts(JsonNode document, Operation operation) throws OperationFailed {
        Kind kind = operation.kind();
        if (kind.needsFrom() && at(document, operation.from()) == null) {
            throw new OperationFailed("from does not exist");
        }
        if (kind == Kind.MOVE && operation.from().isProperPrefixOf(operation.path())) {
            throw new OperationFailed("cannot move a location into one of its own children");
        }
        JsonPointer path = operation.path();
        if (path.isRoot()) {
            return;
        }
        if (kind.needsExistingPath() && at(document, path) == null) {
            throw new OperationFailed("path does not exist");
        }
        if (!kind.needsExistingPath()) {
            JsonNode parent = at(document, path.parent());
            if (parent == null) {
                throw new OperationFailed("parent of path does not exist");
            }
            String token = path.lastToken();
            if (parent.isArray() && !token.equals(JsonPointer.APPEND_TOKEN) && JsonPointer.arrayIndex(token) < 0) {
                throw new OperationFailed("'" + token + "' is not an array index");
            }
        }
    }

    /** The node at {@code pointer}, or null when there is none ({@code -} names no element, as RFC 6901 says). */
    private static JsonNode at(JsonNode document, JsonPointer pointer) {
        JsonNode current = document;
        for (String token : pointer.tokens()) {
            if (current.isObject()) {
                current = current.get(token);
            } else if (current.isArray()) {
                int index = JsonPointer.arrayIndex(token);
                current = index < 0 ? null : current.get(index);
            } else {
                return null;
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }
}
