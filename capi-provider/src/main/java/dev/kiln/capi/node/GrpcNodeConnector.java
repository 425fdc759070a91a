package dev.kiln.capi.node;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.EtcdSnapshotResult;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.pki.Role;
import dev.kiln.machinery.pki.SecretsBundle;
import io.grpc.Status;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The real machine API over gRPC with mutual TLS (or pinned maintenance TLS). */
public final class GrpcNodeConnector implements NodeConnector {

    private final Duration deadline;

    public GrpcNodeConnector(Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public NodeApi connect(String address, NodeCredentials credentials) {
        NodeAddress node = NodeAddress.parse(address);
        return new GrpcNodeApi(MachineClient.connect(node, clientCredentials(node, credentials), deadline,
                dev.kiln.machinery.client.RetryPolicy.defaults()));
    }

    /** The TLS a call to {@code node} presents: the pinned maintenance certificate or a client certificate of a role. */
    public static ClientCredentials clientCredentials(NodeAddress node, NodeCredentials credentials) {
        if (credentials instanceof NodeCredentials.Maintenance maintenance) {
            return ClientCredentials.Maintenance.pinned(maintenance.pinnedFingerprint());
        }
        if (credentials instanceof NodeCredentials.EtcdBackup backup) {
            return mutualTls(backup.secrets(), "kiln-operator-backup", Role.ETCD_BACKUP, node);
        }
        return mutualTls(((NodeCredentials.ClusterAdmin) credentials).secrets(), "kiln-operator", Role.ADMIN, node);
    }

    private static ClientCredentials mutualTls(SecretsBundle secrets, String commonName, Role role, NodeAddress node) {
        KilnContext ctx = KilnContext.forClient(secrets.os(), commonName, Set.of(role), List.of(node.host()));
        return new ClientCredentials.MutualTls(ctx.ca(), ctx.crt(), ctx.key());
    }

    private static final class GrpcNodeApi implements NodeApi {
        private final MachineClient client;

        GrpcNodeApi(MachineClient client) {
            this.client = client;
        }

        private <T> T call(Supplier<T> call) {
            try {
                return call.get();
            } catch (MachineApiException e) {
                throw new NodeApiException(client.node().toString(), kindOf(e.code()), e.getMessage(), e);
            }
        }

        private void run(Runnable call) {
            call(() -> {
                call.run();
                return null;
            });
        }

        private static NodeApiException.Kind kindOf(Status.Code code) {
            switch (code) {
                case UNAVAILABLE:
                case DEADLINE_EXCEEDED:
                    return NodeApiException.Kind.UNAVAILABLE;
                case ALREADY_EXISTS:
                    return NodeApiException.Kind.ALREADY_EXISTS;
                case NOT_FOUND:
                    return NodeApiException.Kind.NOT_FOUND;
                case PERMISSION_DENIED:
                case UNAUTHENTICATED:
                    return NodeApiException.Kind.PERMISSION_DENIED;
                case FAILED_PRECONDITION:
                case INVALID_ARGUMENT:
                case UNIMPLEMENTED:
                case ABORTED:
                    return NodeApiException.Kind.REFUSED;
                default:
                    return NodeApiException.Kind.OTHER;
            }
        }

        @Override
        public NodeVersion version() {
            return call(() -> {
                var version = client.version();
                var info = version.getVersion();
                return new NodeVersion(info.getTag(), version.getPlatform().getMode().equals("maintenance"),
                        info.getRunning().isEmpty() ? info.getTag() : info.getRunning(), info.getTrial(),
                        info.getLastRollback().isEmpty() ? Optional.empty() : Optional.of(info.getLastRollback()));
            });
        }

        @Override
        public void applyConfiguration(byte[] config) {
            run(() -> client.applyConfiguration(config, ApplyConfigurationRequest.Mode.AUTO, false, null));
        }

        @Override
        public void bootstrap(boolean recoverEtcd) {
            run(() -> client.bootstrap(recoverEtcd, false));
        }

        @Override
        public void etcdRecover(InputStream snapshot) {
            try {
                run(() -> client.etcdRecover(snapshot));
            } catch (UncheckedIOException e) {
                throw new NodeApiException(client.node().toString(), NodeApiException.Kind.OTHER,
                        "snapshot upload: " + e.getCause().getMessage(), e);
            }
        }

        @Override
        public MemberList members() {
            return call(() -> {
                var members = client.etcdMemberList(false).getMembersList().stream()
                        .map(m -> new Member(m.getId(), m.getHostname(), m.getPeerUrlsList(), m.getClientUrlsList(),
                                m.getIsLearner()))
                        .toList();
                return new MemberList(client.etcdStatus().getClusterId(), members);
            });
        }

        @Override
        public EtcdHealth etcdStatus() {
            return call(() -> {
                EtcdMemberStatus status = client.etcdStatus();
                return new EtcdHealth(status.getClusterId(), status.getMemberId(), status.getLeader(),
                        status.getIsLearner(), status.getErrorsList(), status.getRaftIndex(),
                        status.getRaftAppliedIndex());
            });
        }

        @Override
        public void removeMember(long memberId) {
            run(() -> client.etcdRemoveMemberById(memberId));
        }

        @Override
        public void leaveEtcd() {
            run(client::etcdLeaveCluster);
        }

        @Override
        public String forfeitLeadership() {
            return call(client::etcdForfeitLeadership);
        }

        @Override
        public EtcdSnapshotResult etcdSnapshot(OutputStream out) {
            try {
                return call(() -> client.etcdSnapshot(out));
            } catch (UncheckedIOException e) {
                throw new NodeApiException(client.node().toString(), NodeApiException.Kind.OTHER,
                        "snapshot stream: " + e.getCause().getMessage(), e);
            }
        }

        @Override
        public String upgrade(String imageRef, boolean stage, boolean preserve) {
            return call(() -> client.upgrade(imageRef, stage, preserve));
        }

        @Override
        public void rollback() {
            run(client::rollback);
        }

        @Override
        public void reset(boolean graceful) {
            run(() -> client.reset(graceful, true, List.of()));
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
