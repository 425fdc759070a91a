package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentlyUsedTest {

    private final List<String> computed = new ArrayList<>();

    private String value(RecentlyUsed<String, String> memo, String key) {
        return memo.computeIfAbsent(key, () -> {
            computed.add(key);
            return key.toUpperCase();
        });
    }

    @Test
    void aKeyIsComputedOnce() {
        RecentlyUsed<String, String> memo = new RecentlyUsed<>(2);

        assertEquals("A", value(memo, "a"));
        assertEquals("A", value(memo, "a"));

        assertEquals(List.of("a"), computed);
    }

    @Test
    void beyondCapacityTheLeastRecentlyUsedKeyGoesFirst() {
        RecentlyUsed<String, String> memo = new RecentlyUsed<>(2);
        value(memo, "a");
        value(memo, "b");
        value(memo, "a");
        value(memo, "c");

        value(memo, "a");
        value(memo, "b");

        assertEquals(List.of("a", "b", "c", "b"), computed);
    }
}
