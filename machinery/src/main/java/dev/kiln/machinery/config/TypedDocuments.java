package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The typed documents of a config ({@code apiVersion}/{@code kind}, Talos 1.5 and later). Kiln keeps them as written.
 * From Talos 1.14 on, the cluster's identity lives in two of them; Kiln reads those values as if the v1alpha1 document
 * held them, and reports every other typed document or key as Talos-only.
 */
final class TypedDocuments {

    /** The {@code apiVersion} of every typed document Talos has. */
    static final String API_VERSION = "v1alpha1";

    /** A value Kiln reads from a typed document: {@code kind}'s top-level {@code field} stands for {@code path}. */
    record ReadField(String kind, String field, List<String> path) {
    }

    static final List<ReadField> READ_FIELDS = List.of(
            new ReadField("DiscoveryIdentityConfig", "clusterID", List.of("cluster", "id")),
            new ReadField("DiscoveryIdentityConfig", "clusterSecret", List.of("cluster", "secret")),
            new ReadField("KubeClusterConfig", "clusterName", List.of("cluster", "clusterName")),
            new ReadField("KubeClusterConfig", "endpoint", List.of("cluster", "controlPlane", "endpoint")));

    private static final List<String> HEADER_KEYS = List.of("apiVersion", "kind");

    private TypedDocuments() {
    }

    /** Reports a typed document: an unknown kind or wrong apiVersion is an error, what Kiln does not read a warning. */
    static void check(Map<?, ?> document, int number, List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        Object kind = document.get("kind");
        String name = name(document, number);
        if (!(kind instanceof String text) || !TalosKeyCatalogue.INSTANCE.isTalosDocumentKind(text)) {
            errors.add(new ConfigProblem(name + ".kind", "unknown document kind " + kind
                    + ": not a Talos config document"));
        } else if (!API_VERSION.equals(document.get("apiVersion"))) {
            errors.add(new ConfigProblem(name + ".apiVersion", "must be " + API_VERSION));
        } else if (READ_FIELDS.stream().noneMatch(read -> read.kind().equals(text))) {
            warnings.add(new ConfigProblem(name, "Talos document, not used by Kiln; kept unchanged"));
        } else {
            for (Object key : document.keySet()) {
                if (!HEADER_KEYS.contains(key) && READ_FIELDS.stream()
                        .noneMatch(read -> read.kind().equals(text) && read.field().equals(key))) {
                    warnings.add(new ConfigProblem(name + "." + key, TalosKeyCheck.TALOS_ONLY));
                }
            }
        }
    }

    /**
     * The v1alpha1 document with the values Kiln reads from typed documents filled in. A value set in both places
     * must be the same; otherwise it is an error naming both.
     */
    static Object withReadFields(Object v1alpha1, List<Map.Entry<Integer, Map<?, ?>>> typed,
            List<ConfigProblem> errors) {
        if (!(v1alpha1 instanceof Map<?, ?>)) {
            return v1alpha1;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> effective = (Map<String, Object>) PlainTrees.deepCopy(v1alpha1);
        for (Map.Entry<Integer, Map<?, ?>> entry : typed) {
            Map<?, ?> document = entry.getValue();
            for (ReadField read : READ_FIELDS) {
                if (read.kind().equals(document.get("kind")) && document.get(read.field()) != null) {
                    fill(effective, read, document.get(read.field()), name(document, entry.getKey()), errors);
                }
            }
        }
        return effective;
    }

    @SuppressWarnings("unchecked")
    private static void fill(Map<String, Object> root, ReadField read, Object value, String source,
            List<ConfigProblem> errors) {
        Map<String, Object> at = root;
        List<String> path = read.path();
        for (String key : path.subList(0, path.size() - 1)) {
            Object next = at.get(key);
            if (next == null) {
                next = new LinkedHashMap<String, Object>();
                at.put(key, next);
            } else if (!(next instanceof Map)) {
                return; // the reader reports the wrong type
            }
            at = (Map<String, Object>) next;
        }
        String last = path.get(path.size() - 1);
        Object present = at.get(last);
        if (present == null) {
            at.put(last, value);
        } else if (!Objects.equals(present, value)) {
            errors.add(new ConfigProblem(String.join(".", path), "differs from " + source + "." + read.field()
                    + "; set it in one place"));
        }
    }

    /** How problems name a typed document: its kind and its place in the stream, counted from 1. */
    static String name(Map<?, ?> document, int number) {
        Object kind = document.get("kind");
        return (kind instanceof String text ? text : "document") + " (document " + number + ")";
    }

    /** Every typed document of {@code documents}, with its place counted from 1. */
    static List<Map.Entry<Integer, Map<?, ?>>> of(List<YamlTrees.SourceDocument> documents) {
        List<Map.Entry<Integer, Map<?, ?>>> typed = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            if (isTyped(documents.get(i).tree())) {
                typed.add(Map.entry(i + 1, (Map<?, ?>) documents.get(i).tree()));
            }
        }
        return typed;
    }

    static boolean isTyped(Object tree) {
        return tree instanceof Map<?, ?> map && map.containsKey("kind");
    }
}
