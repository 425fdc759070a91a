package dev.kiln.node.supervisor;

import java.time.Duration;

/**
 * Supervisor tuning.
 *
 * @param healthInterval how often running services are health-checked
 * @param backoffInitial the delay before the first restart of a crashed service
 * @param backoffMax the cap the doubling delay stops at
 * @param backoffResetAfter a service that ran this long before crashing restarts with the initial delay again
 * @param threads pool size shared by all services' start, stop and health checks
 */
public record SupervisorConfig(
        Duration healthInterval,
        Duration backoffInitial,
        Duration backoffMax,
        Duration backoffResetAfter,
        int threads) {

    public SupervisorConfig {
        if (healthInterval.isNegative() || healthInterval.isZero()) {
            throw new IllegalArgumentException("healthInterval must be positive");
        }
        if (backoffInitial.isNegative() || backoffInitial.isZero() || backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("need 0 < backoffInitial <= backoffMax");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive");
        }
    }

    public static SupervisorConfig defaults() {
        return new SupervisorConfig(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 4);
    }

    public SupervisorConfig withHealthInterval(Duration interval) {
        return new SupervisorConfig(interval, backoffInitial, backoffMax, backoffResetAfter, threads);
    }

    public SupervisorConfig withBackoff(Duration initial, Duration max, Duration resetAfter) {
        return new SupervisorConfig(healthInterval, initial, max, resetAfter, threads);
    }
}
