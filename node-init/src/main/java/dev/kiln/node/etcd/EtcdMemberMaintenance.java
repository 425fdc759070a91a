package dev.kiln.node.etcd;

import dev.kiln.machinery.client.TlsMaterial;
import dev.kiln.machinery.pki.Pem;
import io.etcd.jetcd.api.AlarmRequest;
import io.etcd.jetcd.api.AlarmType;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.Member;
import io.etcd.jetcd.api.MemberListRequest;
import io.etcd.jetcd.api.MemberListResponse;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One member's status, its member list and the cluster's alarms over etcd's own Maintenance and Cluster gRPC services,
 * on one channel kept open. jetcd 0.8.7 is not used for these: its status call opens a new connection (a TLS
 * handshake) to the member every time, its alarm type has no CORRUPT, and its disarm always sends NOSPACE whatever
 * alarm it is given; a jetcd client made for one member list costs a client TLS context and a handshake too.
 */
public final class EtcdMemberMaintenance implements AutoCloseable {

    private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);

    private final ManagedChannel channel;
    private final URI endpoint;

    private EtcdMemberMaintenance(ManagedChannel channel, URI endpoint) {
        this.channel = channel;
        this.endpoint = endpoint;
    }

    /** The member at {@code endpoint}, reached with this node's etcd client certificate. */
    public static EtcdMemberMaintenance on(URI endpoint, EtcdTlsFiles tls) {
        try {
            var sslContext = GrpcSslContexts.forClient()
                    .trustManager(tls.ca().toFile())
                    .keyManager(Pem.decodePrivateKey(Files.readString(tls.clientKey())),
                            TlsMaterial.chain(Files.readString(tls.clientCert())))
                    .build();
            return new EtcdMemberMaintenance(NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
                    .sslContext(sslContext).build(), endpoint);
        } catch (IOException e) {
            throw new IllegalStateException("etcd client TLS from " + tls.ca().getParent() + ": " + e.getMessage(), e);
        }
    }

    /** The member's own status: its cluster and member IDs, the leader it knows, whether it is a learner, errors. */
    public StatusResponse status() throws EtcdCallException {
        try {
            return MaintenanceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .status(StatusRequest.getDefaultInstance());
        } catch (StatusRuntimeException e) {
            throw new EtcdCallException("status of " + endpoint, e);
        }
    }

    /** Ends a wait in gRPC's reconnect backoff: the next call dials at once. */
    void reconnectNow() {
        channel.resetConnectBackoff();
    }

    /** The members as this member knows them (etcd 3.4 answers a member list from the member's own store). */
    public EtcdClusterView members() throws EtcdCallException {
        try {
            MemberListResponse response = ClusterGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .memberList(MemberListRequest.getDefaultInstance());
            return new EtcdClusterView(response.getHeader().getClusterId(), response.getHeader().getMemberId(),
                    response.getMembersList().stream().map(EtcdMemberMaintenance::member).toList());
        } catch (StatusRuntimeException e) {
            throw new EtcdCallException("list members on " + endpoint, e);
        }
    }

    private static EtcdMember member(Member member) {
        return new EtcdMember(member.getID(), member.getName(),
                member.getPeerURLsList().stream().map(URI::create).toList(),
                member.getClientURLsList().stream().map(URI::create).toList(), member.getIsLearner());
    }

    /** Every alarm raised in the cluster; etcd keeps alarms cluster-wide, each naming its member. */
    public List<MemberAlarm> list() throws EtcdCallException {
        return call(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build(), "list alarms");
    }

    /** Disarms every raised alarm, one by one as etcdctl does, and returns the alarms disarmed. */
    public List<MemberAlarm> disarmAll() throws EtcdCallException {
        List<MemberAlarm> disarmed = new ArrayList<>();
        for (MemberAlarm alarm : list()) {
            disarmed.addAll(call(AlarmRequest.newBuilder()
                    .setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                    .setMemberID(alarm.memberId())
                    .setAlarm(alarm.type())
                    .build(), "disarm " + alarm.type() + " of member " + Long.toHexString(alarm.memberId())));
        }
        return disarmed;
    }

    private List<MemberAlarm> call(AlarmRequest request, String what) throws EtcdCallException {
        try {
            return MaintenanceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .alarm(request).getAlarmsList().stream()
                    .filter(alarm -> alarm.getAlarm() != AlarmType.NONE)
                    .map(alarm -> new MemberAlarm(alarm.getMemberID(), alarm.getAlarm()))
                    .toList();
        } catch (StatusRuntimeException e) {
            throw new EtcdCallException(what + " on " + endpoint, e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
