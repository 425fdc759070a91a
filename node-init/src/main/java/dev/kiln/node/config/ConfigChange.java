package dev.kiln.node.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** The paths that differ between two config documents, and whether the node can take them without a reboot. */
public record ConfigChange(List<String> changedPaths) {

    /** Stands for a change only in Talos keys or documents that Kiln keeps but does not act on. */
    public static final String NOT_USED_BY_KILN = "(Talos keys and documents not used by Kiln)";

    // Everything else (type, identity, CAs, certSANs, hostname, etcd CA) is only taken at boot.
    private static final List<String> LIVE_PREFIXES = List.of(
            NOT_USED_BY_KILN, "debug", "persist", "machine.install",
            "cluster.controlPlane", "cluster.etcd.peers", "cluster.etcd.extraArgs");

    public static ConfigChange between(Map<String, Object> before, Map<String, Object> after) {
        List<String> paths = new ArrayList<>();
        diff("", before, after, paths);
        return new ConfigChange(List.copyOf(paths));
    }

    public boolean isEmpty() {
        return changedPaths.isEmpty();
    }

    public boolean appliesWithoutReboot() {
        return changedPaths.stream().allMatch(ConfigChange::isLive);
    }

    public List<String> pathsNeedingReboot() {
        return changedPaths.stream().filter(path -> !isLive(path)).toList();
    }

    public boolean touches(String prefix) {
        return changedPaths.stream().anyMatch(path -> path.equals(prefix) || path.startsWith(prefix + ".")
                || path.startsWith(prefix + "["));
    }

    private static boolean isLive(String path) {
        return LIVE_PREFIXES.stream().anyMatch(prefix -> path.equals(prefix) || path.startsWith(prefix + ".")
                || path.startsWith(prefix + "["));
    }

    @SuppressWarnings("unchecked")
    private static void diff(String path, Object before, Object after, List<String> out) {
        if (before instanceof Map<?, ?> left && after instanceof Map<?, ?> right) {
            Set<String> keys = new TreeSet<>();
            left.keySet().forEach(key -> keys.add(String.valueOf(key)));
            right.keySet().forEach(key -> keys.add(String.valueOf(key)));
            for (String key : keys) {
                diff(path.isEmpty() ? key : path + "." + key,
                        ((Map<String, Object>) left).get(key), ((Map<String, Object>) right).get(key), out);
            }
        } else if (!Objects.equals(before, after)) {
            out.add(path.isEmpty() ? "(root)" : path);
        }
    }
}
