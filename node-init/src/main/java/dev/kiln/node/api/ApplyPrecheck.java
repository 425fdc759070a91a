package dev.kiln.node.api;

import dev.kiln.node.NodeRefusal;
import dev.kiln.node.config.ConfigApplier;
import io.grpc.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Validates an ApplyConfiguration payload before the machine's one-at-a-time apply lock is taken, on one shared
 * parser thread, and stops waiting the moment the caller cancels or its deadline passes.
 */
final class ApplyPrecheck {

    private final ExecutorService parser = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "api-config-check");
        thread.setDaemon(true);
        return thread;
    });

    /** The refusal for an invalid config, or empty; throws {@link CancellationException} once the caller is gone. */
    Optional<NodeRefusal> check(byte[] data, Context call) {
        CompletableFuture<Optional<NodeRefusal>> verdict = new CompletableFuture<>();
        // Registered before the check is queued, so a caller already gone never has its config parsed.
        Context.CancellationListener gone = context -> verdict.cancel(false);
        call.addListener(gone, Runnable::run);
        try {
            parser.execute(() -> {
                if (verdict.isDone()) {
                    return;
                }
                try {
                    ConfigApplier.parse(new String(data, StandardCharsets.UTF_8));
                    verdict.complete(Optional.empty());
                } catch (NodeRefusal refusal) {
                    verdict.complete(Optional.of(refusal));
                } catch (RuntimeException e) {
                    verdict.completeExceptionally(e);
                }
            });
            return verdict.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            call.removeListener(gone);
        }
    }
}
