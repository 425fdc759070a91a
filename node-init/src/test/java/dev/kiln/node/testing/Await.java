package dev.kiln.node.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Polls until a condition holds or a deadline passes; never a guessed sleep. */
public final class Await {

    private Await() {
    }

    public static <T> T until(String what, Duration within, Callable<Optional<T>> probe) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Optional<T> value = probe.call();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out after " + within.toSeconds() + " s waiting for " + what
                + (last == null ? "" : ": last error " + last.getMessage()), last);
    }

    public static void condition(String what, Duration within, Callable<Boolean> probe) throws Exception {
        until(what, within, () -> probe.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
