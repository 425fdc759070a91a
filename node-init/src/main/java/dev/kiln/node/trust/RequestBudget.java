package dev.kiln.node.trust;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** At most {@code perWindow} signing requests in each fixed window; CSR checks and signatures cost CPU. */
final class RequestBudget {

    private final int perWindow;
    private final Duration window;
    private final Clock clock;
    private Instant windowStart;
    private int used;

    RequestBudget(int perWindow, Duration window, Clock clock) {
        this.perWindow = perWindow;
        this.window = window;
        this.clock = clock;
        this.windowStart = clock.instant();
    }

    synchronized boolean tryTake() {
        Instant now = clock.instant();
        if (!now.isBefore(windowStart.plus(window))) {
            windowStart = now;
            used = 0;
        }
        if (used >= perWindow) {
            return false;
        }
        used++;
        return true;
    }

    String describe() {
        return perWindow + " requests per " + window.toSeconds() + " s";
    }
}
