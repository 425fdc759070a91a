package dev.kiln.testenv.sim;

import dev.kiln.machinery.api.access.AccessPolicy;
import dev.kiln.machinery.pki.Role;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authorizes each call by node-init's own table ({@link AccessPolicy}: roles by method, and only ApplyConfiguration
 * and Version in maintenance) and counts it.
 */
final class SimulatedAccess implements ServerInterceptor {

    private final boolean maintenance;
    private final Consumer<String> counter;

    SimulatedAccess(boolean maintenance, Consumer<String> counter) {
        this.maintenance = maintenance;
        this.counter = counter;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        counter.accept(method);
        if (maintenance) {
            if (!AccessPolicy.openInMaintenance(method)) {
                return refuse(call, Status.PERMISSION_DENIED.withDescription(
                        "maintenance mode: " + method + " is not served; only ApplyConfiguration and Version are"));
            }
            return next.startCall(call, headers);
        }
        Set<Role> roles = rolesOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (!AccessPolicy.allows(method, roles)) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    method + " is not allowed for roles " + roles.stream().map(Role::organization).sorted().toList()));
        }
        return next.startCall(call, headers);
    }

    private static Set<Role> rolesOf(SSLSession session) {
        if (session == null) {
            return Set.of();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Role.fromCertificate(leaf) : Set.of();
        } catch (SSLPeerUnverifiedException e) {
            return Set.of();
        }
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
