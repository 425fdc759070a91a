package dev.kiln.node.supervisor;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes, instead of sleeping a guessed time. */
final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private Await() {
    }

    static void until(BooleanSupplier condition, Supplier<String> whatWasExpected) {
        until(TIMEOUT, condition, whatWasExpected);
    }

    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> whatWasExpected) {
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
}
