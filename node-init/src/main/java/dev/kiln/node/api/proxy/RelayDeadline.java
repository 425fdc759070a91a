package dev.kiln.node.api.proxy;

import java.time.Duration;

/**
 * How long a relayed call may take: the caller's remaining time less a margin, so a target that times out is
 * reported as an error message that still reaches the caller before the caller's own deadline.
 */
public final class RelayDeadline {

    static final Duration MAX_MARGIN = Duration.ofSeconds(1);

    private RelayDeadline() {
    }

    /** A tenth of the remaining time, at most {@link #MAX_MARGIN}, is kept back for merging and replying. */
    public static Duration forward(Duration callerRemaining) {
        if (callerRemaining.isNegative() || callerRemaining.isZero()) {
            return Duration.ZERO;
        }
        Duration margin = callerRemaining.dividedBy(10);
        if (margin.compareTo(MAX_MARGIN) > 0) {
            margin = MAX_MARGIN;
        }
        return callerRemaining.minus(margin);
    }
}
