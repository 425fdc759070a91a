package dev.kiln.capi.node;

import static dev.kiln.capi.etcd.EtcdTestBed.eventually;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineChannels;
import dev.kiln.machinery.client.NodeAddress;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's own rules, with real gRPC channels on 127.0.44.3-4. */
class NodeChannelsTest {

    private static final Supplier<SslContext> UNPINNED = () -> MachineChannels.clientContext(
            ClientCredentials.Maintenance.unpinned());

    private final NodeChannels channels = new NodeChannels(Duration.ofMinutes(2), 2);

    @AfterEach
    void close() {
        channels.close();
    }

    private static NodeChannels.Key key(String identity) {
        return new NodeChannels.Key(new NodeAddress("127.0.44.4", 50000), identity);
    }

    @Test
    void beyondTheBoundTheLeastRecentlyUsedChannelIsShutDown() {
        ManagedChannel first = channels.acquire(key("first"), UNPINNED);
        ManagedChannel second = channels.acquire(key("second"), UNPINNED);
        channels.acquire(key("first"), UNPINNED);

        channels.acquire(key("third"), UNPINNED);

        assertTrue(second.isShutdown());
        assertFalse(first.isShutdown());
        assertSame(first, channels.acquire(key("first"), UNPINNED));
    }

    @Test
    void aHeldChannelIsNotShutDownAsTheLeastRecentlyUsed() {
        ManagedChannel held = channels.hold(key("streamed"), UNPINNED);
        channels.acquire(key("second"), UNPINNED);

        channels.acquire(key("third"), UNPINNED);

        assertFalse(held.isShutdown());
        assertSame(held, channels.acquire(key("streamed"), UNPINNED));
    }

    @Test
    void aHeldChannelIsNotShutDownAsIdleAndIsOnceReleased() throws Exception {
        try (NodeChannels quick = new NodeChannels(Duration.ofMillis(1), 4)) {
            ManagedChannel held = quick.hold(key("streamed"), UNPINNED);
            Thread.sleep(5);

            quick.evictIdle();
            assertFalse(held.isShutdown());

            quick.release(key("streamed"), held, false);
            eventually("the released channel to be shut down as idle", () -> {
                quick.evictIdle();
                return held.isShutdown();
            });
        }
    }

    @Test
    void releasingAFailedHoldDropsTheChannelSoTheNextUseDialsAfresh() {
        ManagedChannel held = channels.hold(key("streamed"), UNPINNED);

        channels.release(key("streamed"), held, true);

        assertTrue(held.isShutdown());
        assertNotSame(held, channels.acquire(key("streamed"), UNPINNED));
    }

    @Test
    void aChannelInTransientFailureIsReplacedBeforeUse() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.44.3"))) {
            closedPort = probe.getLocalPort();
        }
        NodeChannels.Key unreachable = new NodeChannels.Key(new NodeAddress("127.0.44.3", closedPort), "pinned");
        ManagedChannel failing = channels.acquire(unreachable, UNPINNED);
        failing.getState(true);
        eventually("the channel to fail connecting",
                () -> failing.getState(false) == ConnectivityState.TRANSIENT_FAILURE);

        ManagedChannel replacement = channels.acquire(unreachable, UNPINNED);

        assertNotSame(failing, replacement);
        assertTrue(failing.isShutdown());
    }

    @Test
    void evictingAnAlreadyReplacedChannelKeepsItsReplacement() {
        ManagedChannel failed = channels.acquire(key("node"), UNPINNED);
        channels.evict(key("node"), failed);
        ManagedChannel replacement = channels.acquire(key("node"), UNPINNED);

        channels.evict(key("node"), failed);

        assertSame(replacement, channels.acquire(key("node"), UNPINNED));
        assertFalse(replacement.isShutdown());
    }

    @Test
    void aClosedPoolRefusesToOpenChannels() {
        ManagedChannel open = channels.acquire(key("node"), UNPINNED);

        channels.close();

        assertTrue(open.isTerminated());
        assertThrows(IllegalStateException.class, () -> channels.acquire(key("node"), UNPINNED));
    }
}
