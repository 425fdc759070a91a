package dev.kiln.machinery.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code cluster.etcd} section. {@code extraArgs} and {@code peers} are empty when absent.
 *
 * <p>{@code peers} is a Kiln extension: the etcd client URLs of the other control-plane nodes.
 */
public record EtcdSection(PemPair ca, Map<String, String> extraArgs, List<String> peers) {

    public EtcdSection {
        // Sorted so that writing the config never depends on the caller's map implementation.
        TreeMap<String, String> sorted = new TreeMap<>();
        if (extraArgs != null) {
            extraArgs.forEach((name, value) -> sorted.put(
                    Objects.requireNonNull(name, "extraArgs name"), Objects.requireNonNull(value, "extraArgs value")));
        }
        extraArgs = Collections.unmodifiableMap(sorted);
        peers = peers == null ? List.of() : List.copyOf(peers);
    }
}
