package dev.kiln.machinery.config;

import dev.kiln.machinery.config.TalosKeyCatalogue.Handling;
import dev.kiln.machinery.config.TalosKeyCatalogue.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Holds a v1alpha1 document against {@link TalosKeyCatalogue}: a key Talos does not have is an error, a Talos key
 * Kiln does not act on is a warning at the deepest path the catalogue knows.
 */
final class TalosKeyCheck {

    static final String UNKNOWN_KEY = "unknown key";
    static final String TALOS_ONLY = "Talos key, not used by Kiln";

    /** Errors and warnings, each in document order. */
    record Findings(List<ConfigProblem> errors, List<ConfigProblem> warnings) {
    }

    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    private TalosKeyCheck() {
    }

    static Findings check(Map<?, ?> document, TalosKeyCatalogue catalogue) {
        TalosKeyCheck check = new TalosKeyCheck();
        check.mapping(document, catalogue.root(), "");
        return new Findings(List.copyOf(check.errors), List.copyOf(check.warnings));
    }

    private void value(Object value, Key key, String path) {
        if (value instanceof Map<?, ?> map && key.hasKeys()) {
            if (map.isEmpty()) {
                warnIfTalos(key, path);
            }
            mapping(map, key, path);
        } else if (value instanceof List<?> list && key.item != null) {
            if (list.isEmpty()) {
                warnIfTalos(key, path);
            }
            for (int i = 0; i < list.size(); i++) {
                value(list.get(i), key.item, path + "[" + i + "]");
            }
        } else {
            // A scalar, or a value the catalogue does not look inside; the reader reports a wrong type on Kiln's keys.
            warnIfTalos(key, path);
        }
    }

    private void mapping(Map<?, ?> map, Key key, String path) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            String childPath = path.isEmpty() ? name : path + "." + name;
            Key child = key.child(name);
            if (child == null) {
                errors.add(new ConfigProblem(childPath, UNKNOWN_KEY));
            } else {
                value(entry.getValue(), child, childPath);
            }
        }
    }

    private void warnIfTalos(Key key, String path) {
        if (key.handling == Handling.TALOS) {
            warnings.add(new ConfigProblem(path, TALOS_ONLY));
        }
    }
}
