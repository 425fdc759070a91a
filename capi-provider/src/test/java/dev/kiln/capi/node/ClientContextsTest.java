package dev.kiln.capi.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.capi.node.events.GrpcNodeEventFeed;
import dev.kiln.capi.node.events.NodeEventFeed;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.pki.SecretsBundle;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Kept client TLS contexts; the streams here go to 127.0.44.22, where nothing listens, so each ends at once. */
class ClientContextsTest {

    private static final String NOBODY = "127.0.44.22";
    private static final NodeCredentials ADMIN = new NodeCredentials.ClusterAdmin(SecretsBundle.generate());

    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger issued = new AtomicInteger();
    private final ClientContexts contexts = new ClientContexts(Duration.ofMinutes(10), Duration.ofDays(1), 2, now::get);

    private Supplier<ClientCredentials> counted() {
        return () -> {
            issued.incrementAndGet();
            return ClientCredentials.Maintenance.unpinned();
        };
    }

    @Test
    void anIdentityIsMadeOnceAndShared() {
        SslContext first = contexts.of("cluster-a admin", counted());
        SslContext second = contexts.of("cluster-a admin", counted());

        assertSame(first, second);
        assertEquals(1, issued.get());
    }

    @Test
    void anotherIdentityGetsItsOwnContext() {
        SslContext a = contexts.of("cluster-a admin", counted());
        SslContext b = contexts.of("cluster-b admin", counted());

        assertNotSame(a, b);
        assertEquals(2, contexts.kept());
    }

    @Test
    void aContextUnusedForTheIdleTimeIsMadeAfresh() {
        SslContext first = contexts.of("cluster-a admin", counted());
        now.addAndGet(Duration.ofMinutes(11).toNanos());

        assertNotSame(first, contexts.of("cluster-a admin", counted()));
        assertEquals(2, issued.get());
    }

    @Test
    void aContextInUseIsStillMadeAfreshAfterItsMaximumAge() {
        SslContext first = contexts.of("cluster-a admin", counted());
        for (int minutes = 0; minutes < 24 * 60; minutes += 5) {
            now.addAndGet(Duration.ofMinutes(5).toNanos());
            contexts.of("cluster-a admin", counted());
        }
        now.addAndGet(Duration.ofMinutes(1).toNanos());

        assertNotSame(first, contexts.of("cluster-a admin", counted()));
    }

    @Test
    void beyondTheBoundTheLeastRecentlyUsedIsDropped() {
        SslContext a = contexts.of("cluster-a admin", counted());
        contexts.of("cluster-b admin", counted());
        contexts.of("cluster-a admin", counted());
        contexts.of("cluster-c admin", counted());

        assertEquals(2, contexts.kept());
        assertSame(a, contexts.of("cluster-a admin", counted()));
        contexts.of("cluster-b admin", counted());
        assertEquals(4, issued.get());
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new ClientContexts(Duration.ofMinutes(1), Duration.ofDays(1), 0, System::nanoTime));
    }

    @Test
    void eventStreamsReopenedToANodeAndItsCallsPresentOneContext() throws Exception {
        ClientContexts shared = new ClientContexts();
        GrpcNodeConnector connector = new GrpcNodeConnector(Duration.ofSeconds(5), shared);
        GrpcNodeEventFeed feed = new GrpcNodeEventFeed(connector);
        BlockingQueue<String> ended = new LinkedBlockingQueue<>();
        NodeEventFeed.Listener listener = new NodeEventFeed.Listener() {
            @Override
            public void onEvent() {
            }

            @Override
            public void onEnd(String reason) {
                ended.add(reason);
            }
        };
        feed.follow(NOBODY, ADMIN, listener);
        assertNotNull(ended.poll(30, TimeUnit.SECONDS), "the stream to a closed port never ended");
        feed.follow(NOBODY, ADMIN, listener).close();
        try (connector; NodeApi node = connector.connect(NOBODY + ":50000", ADMIN)) {
            assertThrows(NodeApiException.class, node::version);
        }

        assertEquals(1, shared.made());
    }
}
