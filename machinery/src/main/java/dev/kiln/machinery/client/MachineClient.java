package dev.kiln.machinery.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.api.machine.ApplyConfiguration;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.BootstrapRequest;
import dev.kiln.machinery.api.machine.EtcdForfeitLeadershipRequest;
import dev.kiln.machinery.api.machine.EtcdLeaveClusterRequest;
import dev.kiln.machinery.api.machine.EtcdMemberListRequest;
import dev.kiln.machinery.api.machine.EtcdMembers;
import dev.kiln.machinery.api.machine.EtcdRemoveMemberByIDRequest;
import dev.kiln.machinery.api.machine.EtcdMemberAlarm;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.EtcdSnapshotRequest;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.EventsRequest;
import dev.kiln.machinery.api.machine.LogsRequest;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.RebootRequest;
import dev.kiln.machinery.api.machine.ResetPartitionSpec;
import dev.kiln.machinery.api.machine.ResetRequest;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.machine.ShutdownRequest;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.EtcdRecoverResponse;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The machine API of one node. Every unary call has a deadline; only reads are retried. The node is dialled at its
 * own address, or reached through an endpoint node that relays each call to it ({@link #connectThrough}).
 */
public final class MachineClient implements AutoCloseable {

    private static final int SNAPSHOT_CHUNK_BYTES = 1 << 20;

    private final NodeAddress node;
    private final ManagedChannel connection;
    private final Channel channel;
    private final Duration deadline;
    private final RetryPolicy retries;
    private final boolean ownsConnection;

    private MachineClient(NodeAddress node, ManagedChannel connection, Channel channel, Duration deadline,
            RetryPolicy retries, boolean ownsConnection) {
        this.node = node;
        this.connection = connection;
        this.channel = channel;
        this.deadline = deadline;
        this.retries = retries;
        this.ownsConnection = ownsConnection;
    }

    public static MachineClient connect(NodeAddress node, ClientCredentials credentials) {
        return connect(node, credentials, Duration.ofSeconds(30), RetryPolicy.defaults());
    }

    public static MachineClient connect(NodeAddress node, ClientCredentials credentials, Duration deadline,
            RetryPolicy retries) {
        ManagedChannel connection = MachineChannels.open(node, credentials);
        return new MachineClient(node, connection, connection, deadline, retries, true);
    }

    /** {@code node}'s machine API over a channel its owner keeps open: {@link #close()} leaves it open. */
    public static MachineClient over(NodeAddress node, ManagedChannel shared, Duration deadline, RetryPolicy retries) {
        return new MachineClient(node, shared, shared, deadline, retries, false);
    }

    /** {@code node}'s machine API reached through {@code endpoint}, which relays every call to it. */
    public static MachineClient connectThrough(NodeAddress endpoint, NodeAddress node, ClientCredentials credentials) {
        return connectThrough(endpoint, node, credentials, Duration.ofSeconds(30), RetryPolicy.defaults());
    }

    public static MachineClient connectThrough(NodeAddress endpoint, NodeAddress node, ClientCredentials credentials,
            Duration deadline, RetryPolicy retries) {
        ManagedChannel connection = MachineChannels.open(endpoint, credentials);
        return new MachineClient(node, connection,
                ClientInterceptors.intercept(connection, new RelayedCalls(endpoint, node)), deadline, retries, true);
    }

    public NodeAddress node() {
        return node;
    }

    public MachineClient withDeadline(Duration newDeadline) {
        return new MachineClient(node, connection, channel, newDeadline, retries, ownsConnection);
    }

    private MachineServiceGrpc.MachineServiceBlockingStub blocking() {
        return MachineServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---- reads: retried

    public Version version() {
        return read(() -> blocking().version(Empty.getDefaultInstance()).getMessages(0));
    }

    public String hostname() {
        return read(() -> blocking().hostname(Empty.getDefaultInstance()).getMessages(0).getHostname());
    }

    public EtcdMembers etcdMemberList(boolean queryLocal) {
        return read(() -> blocking().etcdMemberList(
                EtcdMemberListRequest.newBuilder().setQueryLocal(queryLocal).build()).getMessages(0));
    }

    public EtcdMemberStatus etcdStatus() {
        return read(() -> blocking().etcdStatus(Empty.getDefaultInstance()).getMessages(0).getMemberStatus());
    }

    /** Alarms raised anywhere in the node's etcd cluster, each naming its member. */
    public List<EtcdMemberAlarm> etcdAlarmList() {
        return read(() -> blocking().etcdAlarmList(Empty.getDefaultInstance()).getMessages(0).getMemberAlarmsList());
    }

    public List<ServiceInfo> serviceList() {
        return read(() -> blocking().serviceList(Empty.getDefaultInstance()).getMessages(0).getServicesList());
    }

    // ---- changes: never retried

    public ApplyConfiguration applyConfiguration(byte[] config, ApplyConfigurationRequest.Mode mode, boolean dryRun,
            Duration tryModeTimeout) {
        ApplyConfigurationRequest.Builder request = ApplyConfigurationRequest.newBuilder()
                .setData(ByteString.copyFrom(config)).setMode(mode).setDryRun(dryRun);
        if (tryModeTimeout != null) {
            request.setTryModeTimeout(com.google.protobuf.Duration.newBuilder()
                    .setSeconds(tryModeTimeout.getSeconds()).setNanos(tryModeTimeout.getNano()));
        }
        return change(() -> blocking().applyConfiguration(request.build()).getMessages(0));
    }

    public void bootstrap(boolean recoverEtcd, boolean recoverSkipHashCheck) {
        change(() -> blocking().bootstrap(BootstrapRequest.newBuilder()
                .setRecoverEtcd(recoverEtcd).setRecoverSkipHashCheck(recoverSkipHashCheck).build()));
    }

    public void etcdRemoveMemberById(long memberId) {
        change(() -> blocking().etcdRemoveMemberByID(
                EtcdRemoveMemberByIDRequest.newBuilder().setMemberId(memberId).build()));
    }

    public void etcdLeaveCluster() {
        change(() -> blocking().etcdLeaveCluster(EtcdLeaveClusterRequest.getDefaultInstance()));
    }

    public String etcdForfeitLeadership() {
        return change(() -> blocking().etcdForfeitLeadership(EtcdForfeitLeadershipRequest.getDefaultInstance())
                .getMessages(0).getMember());
    }

    /** Disarms every raised alarm and returns those disarmed. */
    public List<EtcdMemberAlarm> etcdAlarmDisarm() {
        return change(() -> blocking().etcdAlarmDisarm(Empty.getDefaultInstance()).getMessages(0)
                .getMemberAlarmsList());
    }

    public void etcdDefragment() {
        change(() -> blocking().etcdDefragment(Empty.getDefaultInstance()));
    }

    public void reset(boolean graceful, boolean reboot, List<String> partitionsToWipe) {
        ResetRequest.Builder request = ResetRequest.newBuilder().setGraceful(graceful).setReboot(reboot);
        partitionsToWipe.forEach(label ->
                request.addSystemPartitionsToWipe(ResetPartitionSpec.newBuilder().setLabel(label).setWipe(true)));
        change(() -> blocking().reset(request.build()));
    }

    public void reboot() {
        change(() -> blocking().reboot(RebootRequest.getDefaultInstance()));
    }

    public void shutdown() {
        change(() -> blocking().shutdown(ShutdownRequest.getDefaultInstance()));
    }

    /** Upgrades node-init to the release {@code image} ({@code URL@sha256:<hex>}); returns the node's acknowledgement. */
    public String upgrade(String image, boolean stage, boolean preserve) {
        return upgrade(image, stage, preserve, false);
    }

    public String upgrade(String image, boolean stage, boolean preserve, boolean force) {
        return change(() -> blocking().upgrade(dev.kiln.machinery.api.machine.UpgradeRequest.newBuilder()
                .setImage(image).setStage(stage).setPreserve(preserve).setForce(force).build())).getMessages(0)
                .getAck();
    }

    public void rollback() {
        change(() -> blocking().rollback(dev.kiln.machinery.api.machine.RollbackRequest.getDefaultInstance()));
    }

    // ---- streams

    /**
     * Writes the node's etcd snapshot to {@code out}; returns the bytes written and the etcd revision the node
     * reported in the {@link EtcdSnapshotHeaders#REVISION} response header, if it did.
     */
    public EtcdSnapshotResult etcdSnapshot(OutputStream out) {
        long written = 0;
        AtomicReference<Metadata> headers = new AtomicReference<>();
        AtomicReference<Metadata> trailers = new AtomicReference<>();
        try (ServerStream<Data> stream = new ServerStream<>(node, () -> MachineServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(headers, trailers))
                .etcdSnapshot(EtcdSnapshotRequest.getDefaultInstance()))) {
            while (stream.hasNext()) {
                ByteString chunk = stream.next().getBytes();
                chunk.writeTo(out);
                written += chunk.size();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing snapshot from node " + node, e);
        }
        return new EtcdSnapshotResult(written, EtcdSnapshotHeaders.revision(headers.get()));
    }

    /**
     * Uploads a snapshot that a later Bootstrap with recover_etcd restores. A chunk is read from {@code snapshot}
     * only when gRPC can send it, so the upload never holds more than the flow-control window plus one chunk.
     */
    public void etcdRecover(InputStream snapshot) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ReadyGate gate = new ReadyGate();
        AtomicReference<ClientCallStreamObserver<Data>> started = new AtomicReference<>();
        StreamObserver<Data> upload = MachineServiceGrpc.newStub(channel)
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                .etcdRecover(new ClientResponseObserver<Data, EtcdRecoverResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<Data> requestStream) {
                        started.set(requestStream);
                        requestStream.setOnReadyHandler(gate);
                    }

                    @Override
                    public void onNext(EtcdRecoverResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                        gate.run();
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                        gate.run();
                    }
                });
        ClientCallStreamObserver<Data> stream = started.get();
        try {
            byte[] buffer = new byte[SNAPSHOT_CHUNK_BYTES];
            while (gate.await(stream, done)) {
                int read = snapshot.readNBytes(buffer, 0, buffer.length);
                if (read <= 0) {
                    break;
                }
                stream.onNext(Data.newBuilder().setBytes(ByteString.copyFrom(buffer, 0, read)).build());
            }
            if (!done.isDone()) {
                stream.onCompleted();
            }
        } catch (IOException e) {
            upload.onError(e);
            throw new UncheckedIOException("reading snapshot for node " + node, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            upload.onError(e);
            throw new IllegalStateException("interrupted uploading a snapshot to node " + node, e);
        }
        await(done);
    }

    public ServerStream<Data> logs(String serviceId, boolean follow, int tailLines) {
        LogsRequest request = LogsRequest.newBuilder().setId(serviceId).setFollow(follow).setTailLines(tailLines).build();
        return new ServerStream<>(node, () -> MachineServiceGrpc.newBlockingStub(channel).logs(request));
    }

    public ServerStream<Event> events(int tailEvents) {
        EventsRequest request = EventsRequest.newBuilder().setTailEvents(tailEvents).build();
        return new ServerStream<>(node, () -> MachineServiceGrpc.newBlockingStub(channel).events(request));
    }

    /**
     * Follows the node's events, without a deadline, until the node ends the stream, the call fails or the returned
     * handle is closed; the node first sends its last {@code tailEvents} events.
     */
    public AutoCloseable followEvents(int tailEvents, StreamObserver<Event> observer) {
        EventsRequest request = EventsRequest.newBuilder().setTailEvents(tailEvents).build();
        Context.CancellableContext call = Context.current().withCancellation();
        call.run(() -> MachineServiceGrpc.newStub(channel).events(request, observer));
        return () -> call.cancel(null);
    }

    private void await(CompletableFuture<Void> done) {
        try {
            done.get(deadline.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException status) {
                throw new MachineApiException(node, status);
            }
            throw new IllegalStateException("node " + node + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("node " + node + ": no answer within " + deadline, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for node " + node, e);
        }
    }

    private <T> T read(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (StatusRuntimeException e) {
                if (attempt >= retries.maxAttempts() || !retries.isRetryable(e.getStatus())) {
                    throw new MachineApiException(node, e);
                }
                sleep(retries.backoffBefore(attempt));
            }
        }
    }

    private <T> T change(Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw new MachineApiException(node, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between retries", e);
        }
    }

    @Override
    public void close() {
        if (!ownsConnection) {
            return;
        }
        connection.shutdownNow();
        try {
            connection.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
