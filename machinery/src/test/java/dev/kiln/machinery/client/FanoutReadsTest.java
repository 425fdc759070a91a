package dev.kiln.machinery.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.api.machine.VersionInfo;
import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanoutReadsTest {

    @Test
    void eachMessageIsItsNodesAnswerOrFailureInOrder() {
        Version answered = Version.newBuilder().setMetadata(Metadata.newBuilder().setHostname("10.0.0.2:50000"))
                .setVersion(VersionInfo.newBuilder().setTag("v1")).build();
        Version failed = Version.newBuilder().setMetadata(Metadata.newBuilder().setHostname("10.0.0.3:50000")
                .setError("rpc error: code = Unavailable desc = io exception")
                .setStatus(com.google.rpc.Status.newBuilder().setCode(14).setMessage("io exception"))).build();

        List<NodeReply<String>> replies = FanoutReads.replies(List.of(answered, failed), Version::getMetadata,
                version -> version.getVersion().getTag());

        assertEquals(new NodeReply.Answered<>("10.0.0.2:50000", "v1"), replies.get(0));
        NodeReply.Failed<String> failure = (NodeReply.Failed<String>) replies.get(1);
        assertEquals(Status.Code.UNAVAILABLE, failure.status().getCode());
        assertEquals("node 10.0.0.3:50000: UNAVAILABLE: io exception (through 10.0.0.1:50000)",
                failure.describe(NodeAddress.parse("10.0.0.1")));
    }

    @Test
    void anErrorWithoutStatusIsUnknownWithTheErrorText() {
        Version failed = Version.newBuilder().setMetadata(Metadata.newBuilder().setHostname("n3").setError("boom"))
                .build();

        NodeReply.Failed<Version> failure = (NodeReply.Failed<Version>) FanoutReads.replies(List.of(failed),
                Version::getMetadata, version -> version).get(0);

        assertEquals(Status.Code.UNKNOWN, failure.status().getCode());
        assertEquals("boom", failure.status().getDescription());
    }

    @Test
    void mappingAFailureKeepsItsStatus() {
        NodeReply<Integer> failed = new NodeReply.Failed<>("n3", Status.DEADLINE_EXCEEDED);

        assertEquals(new NodeReply.Failed<String>("n3", Status.DEADLINE_EXCEEDED), failed.map(String::valueOf));
    }
}
