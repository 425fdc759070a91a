package dev.kiln.capi.node.events;

import dev.kiln.capi.node.GrpcNodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.RetryPolicy;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The machine API's {@code Events} stream on the node's shared channel ({@link GrpcNodeConnector#hold}): the stream
 * and the operator's calls to a node share one connection and one handshake. A stream that ends drops that channel,
 * so it is opened again on a fresh connection rather than after gRPC's reconnect backoff.
 */
public final class GrpcNodeEventFeed implements NodeEventFeed {

    /** The node sends its last event first, so an open stream shows itself at once. */
    private static final int TAIL_EVENTS = 1;
    private final GrpcNodeConnector connector;

    /** Streams hold channels of {@code connector}, whose calls to the same nodes share them. */
    public GrpcNodeEventFeed(GrpcNodeConnector connector) {
        this.connector = connector;
    }

    @Override
    public AutoCloseable follow(String address, NodeCredentials credentials, Listener listener) {
        GrpcNodeConnector.HeldChannel held = connector.hold(address, credentials);
        // The stream has no deadline; the client's applies only to unary calls, which this feed never makes.
        MachineClient client = MachineClient.over(held.node(), held.channel(), Duration.ofSeconds(30),
                RetryPolicy.none());
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
                        held.releaseFailed();
                        listener.onEnd(reason);
                    }
                }
            });
        } catch (RuntimeException e) {
            held.releaseFailed();
            throw e;
        }
        return () -> {
            if (closed.compareAndSet(false, true)) {
                call.close();
                held.release();
            }
        };
    }
}
