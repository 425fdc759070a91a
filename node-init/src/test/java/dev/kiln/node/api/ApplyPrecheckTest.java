package dev.kiln.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Context;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyPrecheckTest {

    private final ApplyPrecheck precheck = new ApplyPrecheck();

    @Test
    void aValidConfigPassesTheCheck(@TempDir Path work) {
        byte[] config = new TestCluster("127.0.70", work).config(MachineType.WORKER, List.of())
                .getBytes(StandardCharsets.UTF_8);

        assertEquals(Optional.empty(), precheck.check(config, Context.current().withCancellation()));
    }

    @Test
    void anInvalidConfigGetsTheRefusalTheApplyWouldGive() {
        Optional<NodeRefusal> refusal = precheck.check("version: v9\n".getBytes(StandardCharsets.UTF_8),
                Context.current().withCancellation());

        assertEquals(NodeRefusal.Reason.INVALID_REQUEST, refusal.orElseThrow().reason());
    }

    @Test
    void aCheckWhoseCallerIsGoneStopsWaitingWithoutAnAnswer() {
        Context.CancellableContext call = Context.current().withCancellation();
        call.cancel(null);

        assertThrows(CancellationException.class,
                () -> precheck.check("version: v1alpha1\n".getBytes(StandardCharsets.UTF_8), call));
    }

    @Test
    void aCallerThatGoesAwayWhileTheParserIsBusyGetsNoAnswer() throws Exception {
        StringBuilder slow = new StringBuilder("version: v1alpha1\nmachine:\n");
        for (int i = 0; slow.length() < 1_000_000; i++) {
            slow.append("  k").append(i).append(": v\n");
        }
        byte[] busy = slow.toString().getBytes(StandardCharsets.UTF_8);
        Thread occupier = new Thread(() -> precheck.check(busy, Context.current().withCancellation()));
        occupier.start();
        Context.CancellableContext call = Context.current().withCancellation();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                outcome.set(precheck.check(busy, call));
            } catch (CancellationException e) {
                outcome.set(e);
            }
        });
        waiter.start();
        call.cancel(null);
        waiter.join();
        occupier.join();

        assertInstanceOf(CancellationException.class, outcome.get());
    }
}
