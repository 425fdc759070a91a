package dev.kiln.capi.node.events;

import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.node.GrpcNodeConnector;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.client.MachineChannels;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.client.RetryPolicy;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The machine API's {@code Events} stream over the same mutual TLS the operator's calls use. The client TLS context of
 * an identity (a cluster's admin, a node's pinned maintenance certificate) is kept while some node is followed with it
 * (a day at most), so reopening streams while nodes reboot costs a handshake each, not a certificate and key store.
 */
public final class GrpcNodeEventFeed implements NodeEventFeed {

    /** The node sends its last event first, so an open stream shows itself at once. */
    private static final int TAIL_EVENTS = 1;
    /** A node cut off without a reset is noticed within the two; node-init permits pings this often. */
    static final Duration PING_EVERY = Duration.ofSeconds(10);
    static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    static final Duration KEEP_CONTEXT = Duration.ofDays(1);
    static final int MAX_CONTEXTS = 1024;

    /** A client context and the nodes followed with it; a client certificate names no node, so a cluster shares one. */
    private static final class Kept {
        final SslContext context;
        final long madeNanos = System.nanoTime();
        final Set<String> followers = new HashSet<>();

        Kept(SslContext context) {
            this.context = context;
        }
    }

    /** By TLS identity, least recently used first; guarded by itself. */
    private final Map<String, Kept> contexts = new LinkedHashMap<>(16, 0.75f, true);

    private SslContext contextFor(NodeAddress node, NodeCredentials credentials, String identity, String address) {
        synchronized (contexts) {
            Kept kept = contexts.get(identity);
            if (kept != null && System.nanoTime() - kept.madeNanos < KEEP_CONTEXT.toNanos()) {
                kept.followers.add(address);
                return kept.context;
            }
        }
        // the certificate and key store are made outside the lock: new nodes come in bursts
        Kept fresh = new Kept(MachineChannels.clientContext(GrpcNodeConnector.clientCredentials(node, credentials)));
        synchronized (contexts) {
            Kept meanwhile = contexts.get(identity);
            if (meanwhile != null && System.nanoTime() - meanwhile.madeNanos < KEEP_CONTEXT.toNanos()) {
                meanwhile.followers.add(address);
                return meanwhile.context;
            }
            if (meanwhile != null) {
                fresh.followers.addAll(meanwhile.followers);
            }
            fresh.followers.add(address);
            contexts.put(identity, fresh);
            Iterator<Kept> eldest = contexts.values().iterator();
            while (contexts.size() > MAX_CONTEXTS && eldest.hasNext()) {
                eldest.next();
                eldest.remove();
            }
        }
        return fresh.context;
    }

    /** {@code address} is no longer followed with {@code identity}; the last follower's going drops the context. */
    private void unfollow(String identity, String address) {
        synchronized (contexts) {
            Kept kept = contexts.get(identity);
            if (kept != null && kept.followers.remove(address) && kept.followers.isEmpty()) {
                contexts.remove(identity);
            }
        }
    }

    /** How many client contexts are kept. */
    int keptContexts() {
        synchronized (contexts) {
            return contexts.size();
        }
    }

    @Override
    public AutoCloseable follow(String address, NodeCredentials credentials, Listener listener) {
        NodeAddress node = NodeAddress.parse(address);
        String identity = GrpcNodeConnector.tlsIdentity(node, credentials);
        ManagedChannel channel = MachineChannels.openWatched(node, contextFor(node, credentials, identity, address),
                PING_EVERY, PING_TIMEOUT);
        // The stream has no deadline; the client's applies only to unary calls, which this feed never makes.
        MachineClient client = MachineClient.over(node, channel, Duration.ofSeconds(30), RetryPolicy.none());
        AtomicBoolean closed = new AtomicBoolean();
        AutoCloseable call;
        try {
            call = client.followEvents(TAIL_EVENTS, new StreamObserver<>() {
                @Override
                public void onNext(Event event) {
                    listener.onEvent();
                }

                @Override
                public void onError(Throwable t) {
                    end(t.getMessage());
                }

                @Override
                public void onCompleted() {
                    end("the node ended its event stream");
                }

                private void end(String reason) {
                    if (closed.compareAndSet(false, true)) {
                        channel.shutdownNow();
                        listener.onEnd(reason);
                    }
                }
            });
        } catch (RuntimeException e) {
            channel.shutdownNow();
            throw e;
        }
        return () -> {
            if (closed.compareAndSet(false, true)) {
                call.close();
                channel.shutdownNow();
            }
            unfollow(identity, address);
        };
    }
}
