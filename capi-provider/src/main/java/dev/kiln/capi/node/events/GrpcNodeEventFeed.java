package dev.kiln.capi.node.events;

import dev.kiln.capi.node.ClientContexts;
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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The machine API's {@code Events} stream over the same mutual TLS, and the same kept client contexts
 * ({@link ClientContexts}), as the operator's calls: reopening a stream while its node reboots costs a handshake, and
 * beside the node's call channel a resumed one, not a certificate and key store.
 */
public final class GrpcNodeEventFeed implements NodeEventFeed {

    /** The node sends its last event first, so an open stream shows itself at once. */
    private static final int TAIL_EVENTS = 1;
    /** A node cut off without a reset is noticed within the two; node-init permits pings this often. */
    static final Duration PING_EVERY = Duration.ofSeconds(10);
    static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    private final ClientContexts contexts;

    public GrpcNodeEventFeed() {
        this(new ClientContexts());
    }

    /** Streams present the contexts in {@code contexts}, which the operator's calls to nodes share. */
    public GrpcNodeEventFeed(ClientContexts contexts) {
        this.contexts = contexts;
    }

    @Override
    public AutoCloseable follow(String address, NodeCredentials credentials, Listener listener) {
        NodeAddress node = NodeAddress.parse(address);
        SslContext context = contexts.of(GrpcNodeConnector.tlsIdentity(node, credentials),
                () -> GrpcNodeConnector.clientCredentials(node, credentials));
        ManagedChannel channel = MachineChannels.openWatched(node, context, PING_EVERY, PING_TIMEOUT);
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
        };
    }
}
