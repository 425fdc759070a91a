package dev.kiln.node.api;

import dev.kiln.machinery.api.access.AccessPolicy;
import dev.kiln.machinery.pki.Role;
import dev.kiln.node.api.proxy.NodeIdentity;
import dev.kiln.node.api.proxy.RelayedRoles;
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
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authorizes every call: by the client certificate's roles when configured, by the open list in maintenance. A call
 * relayed by another node is authorized by the roles that node states for its caller, and only a node identity
 * certificate may state them.
 */
final class AccessInterceptor implements ServerInterceptor {

    static final Context.Key<Set<Role>> CALLER_ROLES = Context.key("kiln-caller-roles");
    static final Context.Key<Boolean> RELAYED = Context.key("kiln-relayed");

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
        Optional<X509Certificate> peer = peerOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        String relayedRoles = headers.get(RelayedRoles.HEADER);
        boolean relayed = relayedRoles != null;
        Set<Role> roles;
        if (relayed) {
            if (peer.isEmpty() || !NodeIdentity.isNodeIdentity(peer.get())) {
                return refuse(call, Status.PERMISSION_DENIED.withDescription(RelayedRoles.NAME
                        + " is honoured only from a node identity certificate (O=" + NodeIdentity.ORGANIZATION + ")"));
            }
            try {
                roles = RelayedRoles.decode(relayedRoles);
            } catch (IllegalArgumentException e) {
                return refuse(call, Status.PERMISSION_DENIED.withDescription(e.getMessage()));
            }
        } else {
            roles = peer.map(Role::fromCertificate).orElse(Set.of());
        }
        if (!AccessPolicy.allows(method, roles)) {
            return refuse(call, Status.PERMISSION_DENIED.withDescription(
                    method + " is not allowed for roles " + roles.stream().map(Role::organization).sorted().toList()
                            + (relayed ? " (relayed)" : "")));
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER_ROLES, roles).withValue(RELAYED, relayed),
                call, headers, next);
    }

    private static Optional<X509Certificate> peerOf(SSLSession session) {
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
