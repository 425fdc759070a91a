package dev.kiln.node.bootloader;

import java.time.Duration;
import java.util.Map;

/**
 * How long an upgraded slot may stay on trial: at most {@code attempts} launches and {@code timeout} from its first
 * launch; whichever runs out first sends the next boot back to the previous slot.
 */
public record TrialLimits(int attempts, Duration timeout) {

    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final String ATTEMPTS_ENV = "KILN_TRIAL_ATTEMPTS";
    public static final String TIMEOUT_ENV = "KILN_TRIAL_TIMEOUT_SECONDS";

    public TrialLimits {
        if (attempts < 1) {
            throw new IllegalArgumentException("trial attempts must be at least 1: " + attempts);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("trial timeout must be positive: " + timeout);
        }
    }

    public static TrialLimits defaults() {
        return new TrialLimits(DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT);
    }

    /** The defaults, overridden by {@value #ATTEMPTS_ENV} and {@value #TIMEOUT_ENV} when set. */
    public static TrialLimits fromEnvironment(Map<String, String> env) {
        int attempts = DEFAULT_ATTEMPTS;
        Duration timeout = DEFAULT_TIMEOUT;
        try {
            if (env.containsKey(ATTEMPTS_ENV)) {
                attempts = Integer.parseInt(env.get(ATTEMPTS_ENV).strip());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ATTEMPTS_ENV + ": not a number: '" + env.get(ATTEMPTS_ENV) + "'");
        }
        try {
            if (env.containsKey(TIMEOUT_ENV)) {
                timeout = Duration.ofSeconds(Long.parseLong(env.get(TIMEOUT_ENV).strip()));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIMEOUT_ENV + ": not a number: '" + env.get(TIMEOUT_ENV) + "'");
        }
        return new TrialLimits(attempts, timeout);
    }
}
