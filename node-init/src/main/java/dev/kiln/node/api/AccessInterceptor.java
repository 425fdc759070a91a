package dev.kiln.node.api;

import dev.kiln.machinery.pki.Role;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Authorizes every call: by the client certificate's roles when configured, by the open list in maintenance. */
final class AccessInterceptor implements ServerInterceptor {

    static final Context.Key<Set<Role>> CALLER_ROLES = Context.key("kiln-caller-roles");

    private final boolean maintenance;

    AccessInterceptor(boolean maintenance) {
        this.maintenance = maintenance;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        if (maintenance) {
            if (!AccessPolicy.openInMaintenance(method)) {
                return refuse(call, Status.PERMISSION_DENIED.withDescription(
                        "maintenance mode: " + method + " is not served; only ApplyConfiguration and Version are"));
            }
            return Contexts.interceptCall(Context.current().withValue(CALLER_ROLES, Set.of()), call, headers, next);
        }
        Set<Role> roles = rolesOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (!AccessPolicy.allows(method, roles)) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    method + " is not allowed for roles " + roles.stream().map(Role::organization).sorted().toList()));
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER_ROLES, roles), call, headers, next);
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
