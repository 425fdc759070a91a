package dev.kiln.capi.node.events;

import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.node.GrpcNodeConnector;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;

/** The machine API's {@code Events} stream over the same mutual TLS the operator's calls use. */
public final class GrpcNodeEventFeed implements NodeEventFeed {

    /** The node sends its last event first, so an open stream shows itself at once. */
    private static final int TAIL_EVENTS = 1;

    @Override
    public AutoCloseable follow(String address, NodeCredentials credentials, Listener listener) {
        MachineClient client = MachineClient.connect(NodeAddress.parse(address),
                GrpcNodeConnector.clientCredentials(NodeAddress.parse(address), credentials));
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
                        client.close();
                        listener.onEnd(reason);
                    }
                }
            });
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
        return () -> {
            if (closed.compareAndSet(false, true)) {
                call.close();
                client.close();
            }
        };
    }
}
