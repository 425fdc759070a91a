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
import dev.kiln.machinery.client.RetryPolicy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The real machine API over gRPC with mutual TLS (or pinned maintenance TLS). Calls to one node with one identity
 * share a channel ({@link NodeChannels}); closing a {@link NodeApi} leaves it open, {@link #close()} shuts them all.
 */
public final class GrpcNodeConnector implements NodeConnector, AutoCloseable {

    /**
     * One retry, soon: a node that does not answer is usually rebooting, and its event stream wakes the reconciler
     * when it is back, so longer retries only held a reconciler thread asleep.
     */
    static final RetryPolicy RECONCILE_RETRIES = new RetryPolicy(2, Duration.ofMillis(100), Duration.ofMillis(100));

    private static final ClientRole ADMIN = new ClientRole("kiln-operator", Role.ADMIN);
    private static final ClientRole ETCD_BACKUP = new ClientRole("kiln-operator-backup", Role.ETCD_BACKUP);

    private record ClientRole(String commonName, Role role) {
    }

    private final Duration deadline;
    private final NodeChannels channels;
    private final ClientContexts contexts;

    public GrpcNodeConnector(Duration deadline) {
        this(deadline, new ClientContexts());
    }

    /** Calls present the contexts in {@code contexts}, which the operator's event streams share. */
    public GrpcNodeConnector(Duration deadline, ClientContexts contexts) {
        this(deadline, new NodeChannels(NodeChannels.IDLE_TIMEOUT, NodeChannels.MAX_CHANNELS), contexts);
    }

    GrpcNodeConnector(Duration deadline, NodeChannels channels, ClientContexts contexts) {
        this.deadline = deadline;
        this.channels = channels;
        this.contexts = contexts;
    }

    @Override
    public NodeApi connect(String address, NodeCredentials credentials) {
        NodeAddress node = NodeAddress.parse(address);
        return new GrpcNodeApi(node, channelKey(node, credentials), () -> clientCredentials(node, credentials));
    }

    /** Opens the node's shared channel for {@code credentials} and asks it to connect; nothing waits for that. */
    @Override
    public void prepare(String address, NodeCredentials credentials) {
        NodeAddress node = NodeAddress.parse(address);
        NodeChannels.Key key = channelKey(node, credentials);
        channels.acquire(key, contextOf(key, () -> clientCredentials(node, credentials))).getState(true);
    }

    /**
     * The node's shared channel for {@code credentials}, held for a call that stays open (an event stream), so that
     * the stream and the calls to that node share one connection. It stays open while held.
     */
    public HeldChannel hold(String address, NodeCredentials credentials) {
        NodeAddress node = NodeAddress.parse(address);
        NodeChannels.Key key = channelKey(node, credentials);
        ManagedChannel channel = channels.hold(key, contextOf(key, () -> clientCredentials(node, credentials)));
        return new HeldChannel(node, channel, failed -> channels.release(key, channel, failed));
    }

    /** A channel held for one long-lived call; released once, when that call ends. */
    public static final class HeldChannel {
        private final NodeAddress node;
        private final ManagedChannel channel;
        private final Consumer<Boolean> release;
        private final AtomicBoolean released = new AtomicBoolean();

        private HeldChannel(NodeAddress node, ManagedChannel channel, Consumer<Boolean> release) {
            this.node = node;
            this.channel = channel;
            this.release = release;
        }

        public NodeAddress node() {
            return node;
        }

        public ManagedChannel channel() {
            return channel;
        }

        /** The call ended as asked; the channel stays for the node's other calls. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                release.accept(false);
            }
        }

        /** The call failed or the node ended it: the channel is dropped, so the next use dials afresh. */
        public void releaseFailed() {
            if (released.compareAndSet(false, true)) {
                release.accept(true);
            }
        }
    }

    /** The kept client context of the key's identity, made from {@code credentials} only when there is none yet. */
    private Supplier<SslContext> contextOf(NodeChannels.Key key, Supplier<ClientCredentials> credentials) {
        return () -> contexts.of(key.identity(), credentials);
    }

    /** Shuts down every channel this connector keeps. */
    @Override
    public void close() {
        channels.close();
    }

    /** The TLS a call to {@code node} presents: the pinned maintenance certificate or a client certificate of a role. */
    public static ClientCredentials clientCredentials(NodeAddress node, NodeCredentials credentials) {
        if (credentials instanceof NodeCredentials.Maintenance maintenance) {
            return ClientCredentials.Maintenance.pinned(maintenance.pinnedFingerprint());
        }
        if (credentials instanceof NodeCredentials.EtcdBackup backup) {
            return mutualTls(backup.secrets(), ETCD_BACKUP, node);
        }
        return mutualTls(((NodeCredentials.ClusterAdmin) credentials).secrets(), ADMIN, node);
    }

    private static ClientCredentials mutualTls(SecretsBundle secrets, ClientRole role, NodeAddress node) {
        KilnContext ctx = KilnContext.forClient(secrets.os(), role.commonName(), Set.of(role.role()),
                List.of(node.host()));
        return new ClientCredentials.MutualTls(ctx.ca(), ctx.crt(), ctx.key());
    }

    /**
     * Who the operator is to {@code node} with {@code credentials}: equal for equal client TLS, whichever object holds
     * it. A client certificate names no node, so every node of a cluster sees the same admin identity.
     */
    public static String tlsIdentity(NodeAddress node, NodeCredentials credentials) {
        return channelKey(node, credentials).identity();
    }

    /** Secrets are decoded afresh on every pass, so a channel is keyed by what they contain, never by the object. */
    static NodeChannels.Key channelKey(NodeAddress node, NodeCredentials credentials) {
        if (credentials instanceof NodeCredentials.Maintenance maintenance) {
            return new NodeChannels.Key(node, "maintenance pinned " + maintenance.pinnedFingerprint());
        }
        if (credentials instanceof NodeCredentials.EtcdBackup backup) {
            return new NodeChannels.Key(node, identity(ETCD_BACKUP, backup.secrets()));
        }
        return new NodeChannels.Key(node, identity(ADMIN, ((NodeCredentials.ClusterAdmin) credentials).secrets()));
    }

    private static String identity(ClientRole role, SecretsBundle secrets) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secrets.os().certificate().getEncoded());
            return role.commonName() + " " + role.role() + " trusting CA sha256 " + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot digest the cluster's OS CA certificate: " + e.getMessage(), e);
        }
    }

    /** A view of the node's shared channel: each call takes the channel open now, so an eviction is seen at once. */
    private final class GrpcNodeApi implements NodeApi {
        private final NodeAddress node;
        private final NodeChannels.Key key;
        private final Supplier<ClientCredentials> credentials;

        GrpcNodeApi(NodeAddress node, NodeChannels.Key key, Supplier<ClientCredentials> credentials) {
            this.node = node;
            this.key = key;
            this.credentials = credentials;
        }

        private <T> T call(Function<MachineClient, T> call) {
            ManagedChannel channel = channels.acquire(key, contextOf(key, credentials));
            try {
                return call.apply(MachineClient.over(node, channel, deadline, RECONCILE_RETRIES));
            } catch (MachineApiException e) {
                if (unreached(e)) {
                    channels.evict(key, channel);
                }
                throw new NodeApiException(node.toString(), kindOf(e.code()), e.getMessage(), e);
            } catch (RuntimeException e) {
                // no status from the node (no answer in time, a broken stream): dial afresh rather than trust it
                channels.evict(key, channel);
                throw e;
            }
        }

        private void run(Consumer<MachineClient> call) {
            call(client -> {
                call.accept(client);
                return null;
            });
        }

        /** The call never got an answer from the node: the channel's connection is gone or was never trusted. */
        private static boolean unreached(MachineApiException e) {
            if (e.code() == Status.Code.UNAVAILABLE || e.code() == Status.Code.DEADLINE_EXCEEDED) {
                return true;
            }
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof SSLException) {
                    return true;
                }
            }
            return false;
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
            return call(client -> {
                var version = client.version();
                var info = version.getVersion();
                return new NodeVersion(info.getTag(), version.getPlatform().getMode().equals("maintenance"),
                        info.getRunning().isEmpty() ? info.getTag() : info.getRunning(), info.getTrial(),
                        info.getLastRollback().isEmpty() ? Optional.empty() : Optional.of(info.getLastRollback()));
            });
        }

        @Override
        public void applyConfiguration(byte[] config) {
            run(client -> client.applyConfiguration(config, ApplyConfigurationRequest.Mode.AUTO, false, null));
        }

        @Override
        public void bootstrap(boolean recoverEtcd) {
            run(client -> client.bootstrap(recoverEtcd, false));
        }

        @Override
        public void etcdRecover(InputStream snapshot) {
            try {
                run(client -> client.etcdRecover(snapshot));
            } catch (UncheckedIOException e) {
                throw new NodeApiException(node.toString(), NodeApiException.Kind.OTHER,
                        "snapshot upload: " + e.getCause().getMessage(), e);
            }
        }

        @Override
        public MemberList members() {
            return call(client -> {
                var members = client.etcdMemberList(false).getMembersList().stream()
                        .map(m -> new Member(m.getId(), m.getHostname(), m.getPeerUrlsList(), m.getClientUrlsList(),
                                m.getIsLearner()))
                        .toList();
                return new MemberList(client.etcdStatus().getClusterId(), members);
            });
        }

        @Override
        public EtcdHealth etcdStatus() {
            return call(client -> {
                EtcdMemberStatus status = client.etcdStatus();
                return new EtcdHealth(status.getClusterId(), status.getMemberId(), status.getLeader(),
                        status.getIsLearner(), status.getErrorsList(), status.getRaftIndex(),
                        status.getRaftAppliedIndex());
            });
        }

        @Override
        public void removeMember(long memberId) {
            run(client -> client.etcdRemoveMemberById(memberId));
        }

        @Override
        public void leaveEtcd() {
            run(MachineClient::etcdLeaveCluster);
        }

        @Override
        public String forfeitLeadership() {
            return call(MachineClient::etcdForfeitLeadership);
        }

        @Override
        public EtcdSnapshotResult etcdSnapshot(OutputStream out) {
            try {
                return call(client -> client.etcdSnapshot(out));
            } catch (UncheckedIOException e) {
                throw new NodeApiException(node.toString(), NodeApiException.Kind.OTHER,
                        "snapshot stream: " + e.getCause().getMessage(), e);
            }
        }

        @Override
        public String upgrade(String imageRef, boolean stage, boolean preserve) {
            return call(client -> client.upgrade(imageRef, stage, preserve));
        }

        @Override
        public void rollback() {
            run(MachineClient::rollback);
        }

        @Override
        public void reset(boolean graceful) {
            run(client -> client.reset(graceful, true, List.of()));
        }

        @Override
        public void close() {
            // the channel stays open for the next call to this node
        }
    }
}
