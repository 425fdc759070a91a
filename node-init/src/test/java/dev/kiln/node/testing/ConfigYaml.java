package dev.kiln.node.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Edits a config document as a plain YAML tree, so tests can also write documents the node must refuse. */
public final class ConfigYaml {

    private ConfigYaml() {
    }

    public static String edit(String yaml, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = new Yaml().load(yaml);
        change.accept(tree);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(tree);
    }

    /** The mapping at {@code path}, created when absent. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> at(Map<String, Object> tree, String... path) {
        Map<String, Object> current = tree;
        for (String key : path) {
            current = (Map<String, Object>) current.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
        }
        return current;
    }
}
