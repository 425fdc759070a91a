package dev.kiln.node.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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

    /** For in-process checks: polls often, and builds the failure message from the state at the deadline. */
    public static void until(BooleanSupplier condition, Supplier<String> whatWasExpected) {
        until(Duration.ofSeconds(15), condition, whatWasExpected);
    }

    public static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatWasExpected) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + whatWasExpected.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    public static void condition(String what, Duration within, Callable<Boolean> probe) throws Exception {
        until(what, within, () -> probe.call() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
