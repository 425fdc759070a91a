package dev.kiln.capi.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Values computed once per key, at most {@code capacity} of them, the least recently used going first. For keys whose
 * value never goes stale (a resourceVersion, a digest); a value is computed outside the lock, so two passes that miss
 * at once may both compute it.
 */
public final class RecentlyUsed<K, V> {

    private final Map<K, V> values;

    public RecentlyUsed(int capacity) {
        this.values = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public V computeIfAbsent(K key, Supplier<V> compute) {
        synchronized (values) {
            V known = values.get(key);
            if (known != null) {
                return known;
            }
        }
        V computed = compute.get();
        synchronized (values) {
            values.put(key, computed);
        }
        return computed;
    }
}
