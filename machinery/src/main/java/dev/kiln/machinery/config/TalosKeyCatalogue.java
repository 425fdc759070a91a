package dev.kiln.machinery.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key space of Talos's v1alpha1 document and the kinds of its typed documents, read from the data files
 * {@code talos-v1alpha1-keys.txt} and {@code talos-document-kinds.txt} beside this class. Each key says whether Kiln
 * acts on it or only accepts it as valid Talos.
 */
final class TalosKeyCatalogue {

    /** What Kiln does with a key. */
    enum Handling {
        /** Kiln reads and acts on the key. */
        KILN,
        /** Valid Talos, not acted on by Kiln: a warning. */
        TALOS
    }

    /** One key of the tree; {@code anyKey} stands for a free-form mapping, {@code item} for the items of a list. */
    static final class Key {
        final Handling handling;
        final Map<String, Key> children = new LinkedHashMap<>();
        Key anyKey;
        Key item;

        Key(Handling handling) {
            this.handling = handling;
        }

        /** Whether the catalogue lists keys below this one; otherwise Kiln does not look inside a mapping here. */
        boolean hasKeys() {
            return !children.isEmpty() || anyKey != null;
        }

        Key child(String name) {
            Key named = children.get(name);
            return named != null ? named : anyKey;
        }
    }

    static final TalosKeyCatalogue INSTANCE = new TalosKeyCatalogue(
            lines("talos-v1alpha1-keys.txt"), lines("talos-document-kinds.txt"));

    private final Key root = new Key(Handling.KILN);
    private final Set<String> documentKinds = new LinkedHashSet<>();

    TalosKeyCatalogue(List<String> keyLines, List<String> kindLines) {
        for (String line : keyLines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("catalogue line must be '<kiln|talos> <path>': " + line);
            }
            add(Handling.valueOf(parts[0].toUpperCase(java.util.Locale.ROOT)), parts[1]);
        }
        documentKinds.addAll(kindLines.stream().map(String::trim).toList());
    }

    Key root() {
        return root;
    }

    boolean isTalosDocumentKind(String kind) {
        return documentKinds.contains(kind);
    }

    private void add(Handling handling, String path) {
        Key at = root;
        String[] segments = path.split("\\.");
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean listItems = segment.endsWith("[]");
            String name = listItems ? segment.substring(0, segment.length() - 2) : segment;
            boolean last = i == segments.length - 1 && !listItems;
            Key next = "*".equals(name) ? at.anyKey : at.children.get(name);
            if (next == null) {
                next = new Key(last ? handling : Handling.TALOS);
                if ("*".equals(name)) {
                    at.anyKey = next;
                } else {
                    at.children.put(name, next);
                }
            } else if (last && next.handling != handling) {
                throw new IllegalArgumentException("catalogue lists " + path + " after a key below it");
            }
            at = next;
            if (listItems) {
                if (at.item == null) {
                    at.item = new Key(at.handling);
                }
                at = at.item;
            }
        }
    }

    private static List<String> lines(String resource) {
        try (InputStream in = TalosKeyCatalogue.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
