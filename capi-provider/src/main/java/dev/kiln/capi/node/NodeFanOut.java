package dev.kiln.capi.node;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Asks several nodes at once, so a pass waits for its slowest node rather than for the sum of them. */
public final class NodeFanOut {

    /** Bounded: a burst of passes queues its questions here rather than opening a thread per node. */
    private static final int THREADS = 16;
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService ASKS = Executors.newFixedThreadPool(THREADS, runnable -> {
        Thread thread = new Thread(runnable, "kiln-node-ask-" + COUNT.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private NodeFanOut() {
    }

    /** {@code ask} applied to each item, in their order; one item is asked on the calling thread. */
    public static <T, R> List<R> askEach(List<T> items, Function<T, R> ask) {
        if (items.size() < 2) {
            return items.stream().map(ask).toList();
        }
        List<CompletableFuture<R>> answers = items.stream()
                .map(item -> CompletableFuture.supplyAsync(() -> ask.apply(item), ASKS))
                .toList();
        try {
            return answers.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
