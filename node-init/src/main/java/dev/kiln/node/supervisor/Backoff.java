package dev.kiln.node.supervisor;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import java.time.Duration;

/**
 * Restart delays from Failsafe's exponential backoff: initial, doubling on each use, capped. A service runner
 * schedules its restarts itself, so each delay is read from a Failsafe execution that records one failure per use.
 */
final class Backoff {

    private final RetryPolicy<Object> policy;
    private Execution<Object> execution;

    Backoff(Duration initial, Duration max) {
        RetryPolicy<Object> built;
        if (initial.compareTo(max) < 0) {
            built = RetryPolicy.builder().withBackoff(initial, max).withMaxRetries(-1).build();
        } else {
            // Failsafe refuses a backoff whose cap is not above its start; such a backoff is a constant delay.
            built = RetryPolicy.builder().withDelay(max).withMaxRetries(-1).build();
        }
        this.policy = built;
        this.execution = Execution.of(policy);
    }

    Duration next() {
        execution.recordException(ServiceEnded.INSTANCE);
        return execution.getDelay();
    }

    void reset() {
        execution = Execution.of(policy);
    }

    private static final class ServiceEnded extends Exception {
        private static final long serialVersionUID = 1L;
        static final ServiceEnded INSTANCE = new ServiceEnded();

        private ServiceEnded() {
            super(null, null, false, false);
        }
    }
}
