package dev.kiln.node.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Lets a service method add response header metadata: what it puts into {@link #current()} before its first
 * message goes out with the headers gRPC sends ahead of that message.
 */
final class ResponseHeaders implements ServerInterceptor {

    private static final Context.Key<Metadata> EXTRA = Context.key("kiln-response-headers");

    /** The headers of the call being served; empty outside one. */
    static Metadata current() {
        Metadata extra = EXTRA.get();
        return extra == null ? new Metadata() : extra;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Metadata extra = new Metadata();
        ServerCall<Q, R> merging = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                responseHeaders.merge(extra);
                super.sendHeaders(responseHeaders);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(EXTRA, extra), merging, headers, next);
    }
}
