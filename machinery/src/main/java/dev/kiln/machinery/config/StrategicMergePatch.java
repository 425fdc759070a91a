package dev.kiln.machinery.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partial config document merged into a plain tree. The rules are deliberately simple:
 * <ul>
 *   <li>a mapping in the patch merges key by key into the mapping at the same place (replacing anything else);</li>
 *   <li>scalars, {@code null} and lists replace what was there; lists are never merged item by item;</li>
 *   <li>a mapping whose only key is {@code $patch} with value {@code delete} removes that key; deleting a key that
 *       does not exist does nothing.</li>
 * </ul>
 * {@code $patch} is only understood as a key of a mapping value; inside lists it is ordinary data.
 */
public final class StrategicMergePatch {

    static final String DIRECTIVE = "$patch";
    static final String DELETE = "delete";

    private final Map<String, Object> patch;

    private StrategicMergePatch(Map<String, Object> patch) {
        this.patch = patch;
    }

    /** Reads a patch written as one YAML (or JSON) mapping document. */
    public static StrategicMergePatch parse(String yaml) throws ConfigPatchException {
        YamlTrees.Loaded loaded = YamlTrees.load(yaml);
        if (!loaded.ok()) {
            throw new ConfigPatchException(loaded.problems());
        }
        if (!(loaded.tree() instanceof Map)) {
            throw new ConfigPatchException(new ConfigProblem(ConfigTreeReader.ROOT_PATH, "must be a mapping"));
        }
        return of((Map<?, ?>) loaded.tree());
    }

    /** Builds a patch from an already parsed mapping, checking its {@code $patch} directives. */
    @SuppressWarnings("unchecked")
    public static StrategicMergePatch of(Map<?, ?> patch) throws ConfigPatchException {
        List<ConfigProblem> problems = new ArrayList<>();
        if (patch.containsKey(DIRECTIVE)) {
            problems.add(new ConfigProblem(DIRECTIVE, "not allowed at the document root"));
        }
        checkDirectives(patch, "", problems);
        if (!problems.isEmpty()) {
            throw new ConfigPatchException(problems);
        }
        return new StrategicMergePatch((Map<String, Object>) PlainTrees.deepCopy(patch));
    }

    /** Returns {@code document} with the patch merged in; {@code document} itself is never modified. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> apply(Map<?, ?> document) {
        return merge((Map<String, Object>) PlainTrees.deepCopy(document), patch);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> target, Map<String, Object> patch) {
        patch.forEach((key, patchValue) -> {
            if (isDelete(patchValue)) {
                target.remove(key);
            } else if (patchValue instanceof Map) {
                Object existing = target.get(key);
                Map<String, Object> base = existing instanceof Map ? (Map<String, Object>) existing : new LinkedHashMap<>();
                target.put(key, merge(base, (Map<String, Object>) patchValue));
            } else {
                target.put(key, PlainTrees.deepCopy(patchValue));
            }
        });
        return target;
    }

    private static boolean isDelete(Object value) {
        return value instanceof Map && ((Map<?, ?>) value).containsKey(DIRECTIVE);
    }

    private static void checkDirectives(Map<?, ?> map, String path, List<ConfigProblem> problems) {
        map.forEach((key, value) -> {
            if (!(value instanceof Map)) {
                return;
            }
            Map<?, ?> child = (Map<?, ?>) value;
            String childPath = path.isEmpty() ? String.valueOf(key) : path + "." + key;
            if (child.containsKey(DIRECTIVE)) {
                if (!DELETE.equals(child.get(DIRECTIVE))) {
                    problems.add(new ConfigProblem(childPath + "." + DIRECTIVE, "only 'delete' is supported"));
                } else if (child.size() > 1) {
                    problems.add(new ConfigProblem(childPath, "a mapping with $patch: delete must have no other keys"));
                }
            } else {
                checkDirectives(child, childPath, problems);
            }
        });
    }
}
