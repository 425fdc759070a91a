package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which parts of a machine config a patch written in a Kubernetes object may touch. CAs, keys, tokens and the
 * cluster's identity come from the cluster's secrets bundle only, and etcd's security flags belong to the node:
 * anyone allowed to write a KilnConfig must not be able to replace them, copy them elsewhere in the config (where
 * they could be published, e.g. in a certificate) or probe them with {@code test}.
 *
 * <p>{@code machine.certSANs} may be patched; the validator checks what ends up there.
 */
public final class PatchPolicy {

    /** The outcome of checking the patches of one object. */
    public sealed interface Verdict {
        /** Nothing a patch touches is protected. */
        record Allowed() implements Verdict {
        }

        /** Never empty; each problem's path is the offending spec field. */
        record Refused(List<ConfigProblem> problems) implements Verdict {
            public Refused {
                problems = List.copyOf(problems);
                if (problems.isEmpty()) {
                    throw new IllegalArgumentException("a refusal needs at least one problem");
                }
            }
        }
    }

    /** One RFC 6902 operation as written in the object; {@code from} is {@code null} unless the op has one. */
    public record JsonOperation(String op, String path, String from) {
    }

    static final List<List<String>> PROTECTED = List.of(
            List.of("machine", "ca"),
            List.of("machine", "token"),
            List.of("cluster", "id"),
            List.of("cluster", "secret"),
            List.of("cluster", "token"),
            List.of("cluster", "ca"),
            List.of("cluster", "aggregatorCA"),
            List.of("cluster", "serviceAccount"),
            List.of("cluster", "etcd", "ca"));
    private static final List<String> ETCD_ARGS = List.of("cluster", "etcd", "extraArgs");

    private PatchPolicy() {
    }

    /**
     * Checks RFC 6902 operations and strategic patch documents. {@code jsonField} and {@code strategicField} name
     * the spec lists, e.g. {@code spec.configPatches}; a document or pointer that cannot be read is left to the
     * patch parser to report.
     */
    public static Verdict check(String jsonField, List<JsonOperation> operations, String strategicField,
            List<String> strategicPatches) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            JsonOperation operation = operations.get(i);
            String field = jsonField + "[" + i + "]";
            if (operation.path() != null && touches(operation.path())) {
                problems.add(new ConfigProblem(field + ".path", operation.path() + " may not be patched"));
            }
            // Judged whatever the op: only copy and move read it today, and nothing may come to read it unnoticed.
            if (operation.from() != null && touches(operation.from())) {
                problems.add(new ConfigProblem(field + ".from", operation.from() + " may not be copied or moved"));
            }
        }
        for (int i = 0; i < strategicPatches.size(); i++) {
            String document = strategicPatches.get(i);
            YamlTrees.Loaded loaded = YamlTrees.load(document == null ? "" : document);
            if (loaded.ok() && loaded.tree() instanceof Map<?, ?> tree) {
                walk(tree, new ArrayList<>(), strategicField + "[" + i + "]", problems);
            }
        }
        return problems.isEmpty() ? new Verdict.Allowed() : new Verdict.Refused(problems);
    }

    /**
     * Whether an operation at {@code pointer} touches a protected value: the value itself, anything inside it, or
     * an ancestor (replacing, removing, copying or testing {@code /machine} touches its CA).
     */
    private static boolean touches(String pointer) {
        List<String> tokens;
        try {
            tokens = JsonPointer.parse(pointer).tokens();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return isProtected(tokens) || isAncestorOfProtected(tokens);
    }

    static boolean isProtected(List<String> tokens) {
        for (List<String> prefix : PROTECTED) {
            if (startsWith(tokens, prefix)) {
                return true;
            }
        }
        return tokens.size() > ETCD_ARGS.size() && startsWith(tokens, ETCD_ARGS)
                && EtcdArguments.isDenied(tokens.get(ETCD_ARGS.size()));
    }

    private static boolean isAncestorOfProtected(List<String> tokens) {
        for (List<String> prefix : PROTECTED) {
            if (tokens.size() < prefix.size() && startsWith(prefix, tokens)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(List<String> tokens, List<String> prefix) {
        return tokens.size() >= prefix.size() && tokens.subList(0, prefix.size()).equals(prefix);
    }

    // A mapping merges key by key; anything else (scalar, list, null, $patch: delete) replaces the whole subtree.
    private static void walk(Map<?, ?> patch, List<String> at, String field, List<ConfigProblem> problems) {
        for (Map.Entry<?, ?> entry : patch.entrySet()) {
            List<String> path = new ArrayList<>(at);
            path.add(String.valueOf(entry.getKey()));
            Object value = entry.getValue();
            boolean merges = value instanceof Map<?, ?> map && !map.containsKey(StrategicMergePatch.DIRECTIVE);
            if (isProtected(path) || (!merges && isAncestorOfProtected(path))) {
                problems.add(new ConfigProblem(field, String.join(".", path) + " may not be patched"));
            } else if (merges) {
                walk((Map<?, ?>) value, path, field, problems);
            }
        }
    }
}
