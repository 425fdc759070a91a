package dev.kiln.node.trust;

import dev.kiln.machinery.trust.Trustd;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Lets a call through only with gRPC metadata {@code token} equal to this node's {@code machine.token}. */
final class TokenCheck implements ServerInterceptor {

    private final byte[] token;

    TokenCheck(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String presented = headers.get(Trustd.TOKEN);
        if (presented == null || presented.isEmpty()) {
            return refuse(call, Status.UNAUTHENTICATED.withDescription(
                    "no token metadata: send the cluster's machine.token as gRPC metadata 'token'"));
        }
        // Constant time, so the answer's timing says nothing about how much of the token matched.
        if (!MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8))) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    "token metadata does not match this node's machine.token"));
        }
        return next.startCall(call, headers);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
