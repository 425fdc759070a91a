package dev.kiln.node.api.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.ServiceList;
import dev.kiln.machinery.api.machine.ServiceListResponse;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.VersionInfo;
import dev.kiln.machinery.api.machine.VersionResponse;
import dev.kiln.machinery.client.NodeAddress;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RepliesTest {

    private static RelayTarget target(String name) {
        return new RelayTarget(name, NodeAddress.parse(name));
    }

    private static Version version(String hostname, String tag) {
        return Version.newBuilder().setMetadata(Metadata.newBuilder().setHostname(hostname))
                .setVersion(VersionInfo.newBuilder().setTag(tag)).build();
    }

    @Test
    void mergedRepliesKeepTargetOrderAndNameEachTargetAsHostname() {
        VersionResponse first = VersionResponse.newBuilder().addMessages(version("node-2", "v1")).build();
        VersionResponse second = VersionResponse.newBuilder().addMessages(version("node-3", "v2")).build();

        VersionResponse merged = Replies.merged(VersionResponse.getDefaultInstance(), List.of(
                new Outcome.Answered(target("127.0.87.2"), first), new Outcome.Answered(target("127.0.87.3"), second)));

        assertEquals(List.of("127.0.87.2", "127.0.87.3"),
                merged.getMessagesList().stream().map(m -> m.getMetadata().getHostname()).toList());
        assertEquals(List.of("v1", "v2"), merged.getMessagesList().stream().map(m -> m.getVersion().getTag()).toList());
    }

    @Test
    void aFailedTargetIsOneMessageWithOnlyHostnameErrorAndStatus() {
        VersionResponse merged = Replies.merged(VersionResponse.getDefaultInstance(), List.of(
                new Outcome.Failed(target("127.0.87.3"), Status.UNAVAILABLE.withDescription("io exception"))));

        Version failed = merged.getMessages(0);
        assertEquals(Version.newBuilder().setMetadata(Metadata.newBuilder()
                .setHostname("127.0.87.3")
                .setError("rpc error: code = Unavailable desc = io exception")
                .setStatus(com.google.rpc.Status.newBuilder().setCode(14).setMessage("io exception"))).build(), failed);
    }

    @Test
    void everyMessageOfATargetIsTagged() {
        ServiceListResponse two = ServiceListResponse.newBuilder()
                .addMessages(ServiceList.getDefaultInstance()).addMessages(ServiceList.getDefaultInstance()).build();

        ServiceListResponse merged = Replies.merged(ServiceListResponse.getDefaultInstance(),
                List.of(new Outcome.Answered(target("node-2"), two)));

        assertEquals(List.of("node-2", "node-2"),
                merged.getMessagesList().stream().map(m -> m.getMetadata().getHostname()).toList());
    }

    @Test
    void aStreamMessageIsTaggedAndKeepsItsContent() {
        Data chunk = Data.newBuilder().setMetadata(Metadata.newBuilder().setHostname("node-2"))
                .setBytes(ByteString.copyFromUtf8("line\n")).build();

        Data tagged = Replies.tagged(chunk, "127.0.87.2");

        assertEquals(chunk.toBuilder().setMetadata(Metadata.newBuilder().setHostname("127.0.87.2")).build(), tagged);
    }

    @Test
    void aStreamFailureIsAnEventHoldingOnlyTheFailure() {
        Event failure = Replies.failure(Event.getDefaultInstance(), "127.0.87.3",
                Status.DEADLINE_EXCEEDED.withDescription("deadline exceeded after 4.5s"));

        assertEquals(Event.newBuilder().setMetadata(Metadata.newBuilder().setHostname("127.0.87.3")
                .setError("rpc error: code = DeadlineExceeded desc = deadline exceeded after 4.5s")
                .setStatus(com.google.rpc.Status.newBuilder().setCode(4)
                        .setMessage("deadline exceeded after 4.5s"))).build(), failure);
    }

    @Test
    void goNamesOfCodesReadAsGoPrintsThem() {
        assertEquals("Canceled", Replies.goName(Status.Code.CANCELLED));
        assertEquals("PermissionDenied", Replies.goName(Status.Code.PERMISSION_DENIED));
        assertEquals("OK", Replies.goName(Status.Code.OK));
    }

    @Test
    void aResponseWithoutMessagesCannotBeMerged() {
        assertThrows(IllegalArgumentException.class, () -> Replies.merged(Empty.getDefaultInstance(), List.of()));
    }

    @Test
    void everyMachineServiceMethodHasAShape() {
        Map<String, RelayPlan.Shape> shapes = new TreeMap<>();
        ServiceDescriptor service = MachineServiceGrpc.getServiceDescriptor();
        for (MethodDescriptor<?, ?> method : service.getMethods()) {
            var prototype = (com.google.protobuf.Message) ((MethodDescriptor.PrototypeMarshaller<?>)
                    method.getResponseMarshaller()).getMessagePrototype();
            shapes.put(method.getBareMethodName(),
                    Replies.shapeOf(method.getBareMethodName(), method.getType(), prototype.getDescriptorForType()));
        }

        Map<String, RelayPlan.Shape> expected = new TreeMap<>();
        for (String unary : List.of("ApplyConfiguration", "Bootstrap", "EtcdMemberList", "EtcdRemoveMemberByID",
                "EtcdLeaveCluster", "EtcdForfeitLeadership", "EtcdAlarmList", "EtcdAlarmDisarm", "EtcdDefragment",
                "EtcdStatus", "Hostname", "Reboot", "Reset", "Rollback", "ServiceList", "Shutdown", "Upgrade",
                "Version")) {
            expected.put(unary, RelayPlan.Shape.MERGED_UNARY);
        }
        expected.put("Logs", RelayPlan.Shape.TAGGED_STREAM);
        expected.put("Events", RelayPlan.Shape.TAGGED_STREAM);
        expected.put("EtcdSnapshot", RelayPlan.Shape.NOT_RELAYED);
        expected.put("EtcdRecover", RelayPlan.Shape.NOT_RELAYED);
        assertEquals(expected, shapes);
    }
}
