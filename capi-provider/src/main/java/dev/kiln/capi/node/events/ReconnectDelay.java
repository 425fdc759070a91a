package dev.kiln.capi.node.events;

import java.time.Duration;

/**
 * How long a lost node event stream waits before it is opened again: short, since a node that reboots into
 * configured mode answers again within seconds and that moment is what the reconcilers wait for (a failed attempt is
 * a refused connection or one failed TLS handshake); after {@link #PATIENT_AFTER} failures in a row, about a minute,
 * the node is presumed down for longer and is tried every {@link #DOWN_NODE}. Hand-written rather than a Failsafe policy: an attempt here is a stream that may run for hours,
 * not a call, and its first event (not its return) is what resets the count.
 */
public final class ReconnectDelay {

    static final Duration FIRST = Duration.ofMillis(100);
    static final Duration LONGEST = Duration.ofMillis(250);
    static final int PATIENT_AFTER = 240;
    static final Duration DOWN_NODE = Duration.ofSeconds(10);

    private ReconnectDelay() {
    }

    /** The delay after {@code failures} failed or lost attempts in a row (1 for the first). */
    public static Duration after(int failures) {
        if (failures > PATIENT_AFTER) {
            return DOWN_NODE;
        }
        int doublings = Math.min(Math.max(failures - 1, 0), 10);
        Duration delay = FIRST.multipliedBy(1L << doublings);
        return delay.compareTo(LONGEST) > 0 ? LONGEST : delay;
    }
}
