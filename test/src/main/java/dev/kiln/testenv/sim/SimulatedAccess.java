package dev.kiln.testenv.sim;

import dev.kiln.machinery.pki.Role;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authorizes each call as node-init does (its AccessPolicy's table: roles by method, and only ApplyConfiguration
 * and Version in maintenance) and counts it.
 */
final class SimulatedAccess implements ServerInterceptor {

    private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
    private static final Set<Role> ADMIN_OPERATOR = EnumSet.of(Role.ADMIN, Role.OPERATOR);
    private static final Set<Role> ADMIN_OPERATOR_READER = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.READER);
    private static final Set<Role> SNAPSHOT_TAKERS = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.ETCD_BACKUP);
    private static final Set<Role> ETCD_READERS = EnumSet.allOf(Role.class);

    static final Map<String, Set<Role>> CONFIGURED = Map.ofEntries(
            Map.entry("ApplyConfiguration", ADMIN),
            Map.entry("Bootstrap", ADMIN),
            Map.entry("Reset", ADMIN),
            Map.entry("Upgrade", ADMIN),
            Map.entry("Rollback", ADMIN),
            Map.entry("EtcdLeaveCluster", ADMIN),
            Map.entry("EtcdRemoveMemberByID", ADMIN),
            Map.entry("EtcdForfeitLeadership", ADMIN),
            Map.entry("EtcdRecover", ADMIN),
            Map.entry("Reboot", ADMIN_OPERATOR),
            Map.entry("EtcdAlarmDisarm", ADMIN_OPERATOR),
            Map.entry("EtcdDefragment", ADMIN_OPERATOR),
            Map.entry("Shutdown", ADMIN_OPERATOR),
            Map.entry("EtcdSnapshot", SNAPSHOT_TAKERS),
            Map.entry("EtcdMemberList", ETCD_READERS),
            Map.entry("EtcdAlarmList", ETCD_READERS),
            Map.entry("EtcdStatus", ETCD_READERS),
            Map.entry("Version", ADMIN_OPERATOR_READER),
            Map.entry("Hostname", ADMIN_OPERATOR_READER),
            Map.entry("ServiceList", ADMIN_OPERATOR_READER),
            Map.entry("Logs", ADMIN_OPERATOR_READER),
            Map.entry("Events", ADMIN_OPERATOR_READER));

    private static final Set<String> OPEN_IN_MAINTENANCE = Set.of("ApplyConfiguration", "Version");

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
            if (!OPEN_IN_MAINTENANCE.contains(method)) {
                return refuse(call, Status.PERMISSION_DENIED.withDescription(
                        "maintenance mode: " + method + " is not served; only ApplyConfiguration and Version are"));
            }
            return next.startCall(call, headers);
        }
        Set<Role> roles = rolesOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        Set<Role> allowed = CONFIGURED.get(method);
        if (allowed == null || roles.stream().noneMatch(allowed::contains)) {
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
