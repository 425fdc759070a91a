package dev.kiln.testenv;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Faults a test arms on the management API stand-in: each runs once, right after the first request it matches was
 * served and before the answer goes back, so a test can crash a client at an exact moment from outside it, the way
 * a kill -9 on a log marker would (test support).
 */
public final class Tripwires {

    /** A request by method, path and a pattern its body must contain. */
    public record Match(String method, Pattern path, Pattern body) {

        boolean matches(String requestMethod, String requestPath, String requestBody) {
            return method.equals(requestMethod) && path.matcher(requestPath).matches()
                    && body.matcher(requestBody).find();
        }
    }

    private record Armed(Match match, Runnable fault, AtomicBoolean fired) {
    }

    private final List<Armed> armed = new CopyOnWriteArrayList<>();

    public void arm(Match match, Runnable fault) {
        armed.add(new Armed(match, fault, new AtomicBoolean()));
    }

    /** True while a fault waits for its request; until then requests are served without copying their bodies. */
    boolean armed() {
        return armed.stream().anyMatch(wire -> !wire.fired().get());
    }

    void served(String method, String path, String body, int code) {
        if (code < 200 || code > 299) {
            return;
        }
        for (Armed wire : armed) {
            if (wire.match().matches(method, path, body) && wire.fired().compareAndSet(false, true)) {
                wire.fault().run();
            }
        }
    }
}
