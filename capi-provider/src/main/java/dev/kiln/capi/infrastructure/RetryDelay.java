package dev.kiln.capi.infrastructure;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import java.time.Duration;

/**
 * How long to wait before asking a failing node again: Failsafe's backoff, doubling from a few seconds, capped at a
 * minute. The wait is handed to the reconciler's reschedule rather than slept, so each delay is read from a Failsafe
 * execution that has recorded that many failures.
 */
final class RetryDelay {

    static final Duration FIRST = Duration.ofSeconds(2);
    static final Duration LONGEST = Duration.ofSeconds(60);

    private static final RetryPolicy<Object> POLICY = RetryPolicy.builder()
            .withBackoff(FIRST, LONGEST)
            .withMaxRetries(-1)
            .build();
    // Past this many failures the delay is LONGEST whatever the count.
    private static final int DOUBLINGS_TO_CAP = 32;

    private RetryDelay() {
    }

    /** The delay after the {@code failures}-th failure in a row (1 for the first). */
    static Duration after(int failures) {
        Execution<Object> execution = Execution.of(POLICY);
        for (int i = 0; i < Math.max(1, Math.min(failures, DOUBLINGS_TO_CAP)); i++) {
            execution.recordException(new NodeCallFailed());
        }
        return execution.getDelay();
    }

    private static final class NodeCallFailed extends Exception {
        private static final long serialVersionUID = 1L;

        NodeCallFailed() {
            super(null, null, false, false);
        }
    }
}
