package dev.kiln.capi.infrastructure;

import java.time.Duration;

/** How long to wait before asking a failing node again: doubling from a few seconds, capped at a minute. */
final class RetryDelay {

    static final Duration FIRST = Duration.ofSeconds(2);
    static final Duration LONGEST = Duration.ofSeconds(60);

    private RetryDelay() {
    }

    /** The delay after the {@code failures}-th failure in a row (1 for the first). */
    static Duration after(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 16));
        Duration delay = FIRST.multipliedBy(1L << doublings);
        return delay.compareTo(LONGEST) > 0 ? LONGEST : delay;
    }
}
