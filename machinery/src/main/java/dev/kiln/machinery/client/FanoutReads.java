package dev.kiln.machinery.client;

import com.google.protobuf.Empty;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.EtcdMemberAlarm;
import dev.kiln.machinery.api.machine.EtcdMemberListRequest;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.EtcdMembers;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.machine.Version;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads made once through an endpoint that relays each to several nodes ({@code nodes} metadata) and answers for
 * all of them in one reply: each node's message, or its failure, in the order the nodes were named. A failure of the
 * call as a whole (the endpoint unreachable or refusing) is a {@link MachineApiException} naming the endpoint.
 */
public final class FanoutReads implements AutoCloseable {

    private final NodeAddress endpoint;
    private final List<NodeAddress> nodes;
    private final ManagedChannel channel;
    private final Duration deadline;

    private FanoutReads(NodeAddress endpoint, List<NodeAddress> nodes, ManagedChannel channel, Duration deadline) {
        this.endpoint = endpoint;
        this.nodes = List.copyOf(nodes);
        this.channel = channel;
        this.deadline = deadline;
    }

    public static FanoutReads connect(NodeAddress endpoint, List<NodeAddress> nodes, ClientCredentials credentials) {
        return new FanoutReads(endpoint, nodes, MachineChannels.open(endpoint, credentials), Duration.ofSeconds(30));
    }

    public NodeAddress endpoint() {
        return endpoint;
    }

    private MachineServiceGrpc.MachineServiceBlockingStub stub() {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        nodes.forEach(node -> headers.put(RelayedCalls.NODES, node.toString()));
        return MachineServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<NodeReply<Version>> version() {
        return call(() -> replies(stub().version(Empty.getDefaultInstance()).getMessagesList(), Version::getMetadata,
                version -> version));
    }

    public List<NodeReply<List<ServiceInfo>>> serviceList() {
        return call(() -> replies(stub().serviceList(Empty.getDefaultInstance()).getMessagesList(),
                list -> list.getMetadata(), list -> list.getServicesList()));
    }

    public List<NodeReply<EtcdMembers>> etcdMemberList(boolean queryLocal) {
        return call(() -> replies(stub().etcdMemberList(EtcdMemberListRequest.newBuilder().setQueryLocal(queryLocal)
                .build()).getMessagesList(), EtcdMembers::getMetadata, members -> members));
    }

    public List<NodeReply<EtcdMemberStatus>> etcdStatus() {
        return call(() -> replies(stub().etcdStatus(Empty.getDefaultInstance()).getMessagesList(),
                status -> status.getMetadata(), status -> status.getMemberStatus()));
    }

    public List<NodeReply<List<EtcdMemberAlarm>>> etcdAlarmList() {
        return call(() -> replies(stub().etcdAlarmList(Empty.getDefaultInstance()).getMessagesList(),
                alarm -> alarm.getMetadata(), alarm -> alarm.getMemberAlarmsList()));
    }

    public List<NodeReply<List<EtcdMemberAlarm>>> etcdAlarmDisarm() {
        return call(() -> replies(stub().etcdAlarmDisarm(Empty.getDefaultInstance()).getMessagesList(),
                alarm -> alarm.getMetadata(), alarm -> alarm.getMemberAlarmsList()));
    }

    /** Each message as its node's answer, or, when its metadata carries an error, as its node's failure. */
    static <M, T> List<NodeReply<T>> replies(List<M> messages, Function<M, Metadata> metadata, Function<M, T> value) {
        List<NodeReply<T>> replies = new ArrayList<>();
        for (M message : messages) {
            Metadata tag = metadata.apply(message);
            if (tag.getError().isEmpty()) {
                replies.add(new NodeReply.Answered<>(tag.getHostname(), value.apply(message)));
            } else {
                replies.add(new NodeReply.Failed<>(tag.getHostname(), tag.hasStatus()
                        ? Status.fromCodeValue(tag.getStatus().getCode()).withDescription(tag.getStatus().getMessage())
                        : Status.UNKNOWN.withDescription(tag.getError())));
            }
        }
        return replies;
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(Call<T> call) {
        try {
            return call.run();
        } catch (StatusRuntimeException e) {
            throw new MachineApiException(endpoint, e);
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
