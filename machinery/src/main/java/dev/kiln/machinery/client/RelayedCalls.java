package dev.kiln.machinery.client;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.kiln.machinery.api.common.Metadata;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Calls to one node relayed by an endpoint: each call carries the node in {@code nodes} metadata, and a reply the
 * endpoint marks as that node's failure ({@code metadata.error}) fails the call with the node's status, so a relayed
 * call reads as a direct one. A reply tagged with another node than the one asked for fails the call too.
 */
final class RelayedCalls implements ClientInterceptor {

    static final io.grpc.Metadata.Key<String> NODES = io.grpc.Metadata.Key.of("nodes",
            io.grpc.Metadata.ASCII_STRING_MARSHALLER);

    private final NodeAddress endpoint;
    private final String node;

    RelayedCalls(NodeAddress endpoint, NodeAddress node) {
        this.endpoint = endpoint;
        this.node = node.toString();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, io.grpc.Metadata headers) {
                headers.put(NODES, node);
                super.start(new Checking<>(listener), headers);
            }
        };
    }

    private final class Checking<R> extends ForwardingClientCallListener.SimpleForwardingClientCallListener<R> {

        private Status failure;

        Checking(ClientCall.Listener<R> delegate) {
            super(delegate);
        }

        @Override
        public void onMessage(R message) {
            if (failure != null) {
                return;
            }
            Optional<Status> failed = message instanceof Message reply ? failureIn(reply) : Optional.empty();
            if (failed.isPresent()) {
                failure = failed.get();
                return;
            }
            super.onMessage(message);
        }

        @Override
        public void onClose(Status status, io.grpc.Metadata trailers) {
            Status closing = failure != null ? failure : status;
            super.onClose(closing.isOk() ? closing : closing.withDescription(
                    (closing.getDescription() == null ? "" : closing.getDescription() + " ") + "(through " + endpoint
                            + ")"), trailers);
        }
    }

    /** The node's failure carried in the reply, or a mismatch between the node asked for and the one answering. */
    Optional<Status> failureIn(Message reply) {
        for (Metadata metadata : metadataOf(reply)) {
            if (!metadata.getError().isEmpty()) {
                return Optional.of(metadata.hasStatus()
                        ? Status.fromCodeValue(metadata.getStatus().getCode()).withDescription(
                                metadata.getStatus().getMessage())
                        : Status.UNKNOWN.withDescription(metadata.getError()));
            }
            if (!metadata.getHostname().equals(node)) {
                return Optional.of(Status.INTERNAL.withDescription("the endpoint tagged a reply as node '"
                        + metadata.getHostname() + "', not " + node));
            }
        }
        return Optional.empty();
    }

    /** The metadata of each message in a {@code messages} list, or of the message itself. */
    private static List<Metadata> metadataOf(Message reply) {
        List<Metadata> found = new ArrayList<>();
        FieldDescriptor first = reply.getDescriptorForType().findFieldByNumber(1);
        if (first == null || first.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return found;
        }
        if (first.isRepeated() && first.getName().equals("messages")) {
            for (Object element : (List<?>) reply.getField(first)) {
                found.addAll(metadataOf((Message) element));
            }
        } else if (first.getName().equals("metadata") && reply.getField(first) instanceof Metadata metadata) {
            found.add(metadata);
        }
        return found;
    }
}
