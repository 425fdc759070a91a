package dev.kiln.node.api.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.client.NodeAddress;
import io.grpc.Status;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayPlanTest {

    private static final RelayPlan.Self SELF = new RelayPlan.Self(Set.of("127.0.87.1", "node-1"), 50000);

    private static RelayPlan plan(List<String> nodes) {
        return RelayPlan.plan(nodes, "Version", RelayPlan.Shape.MERGED_UNARY, SELF, false, true);
    }

    @Test
    void noNodesIsServedHere() {
        assertInstanceOf(RelayPlan.Local.class, plan(List.of()));
    }

    @Test
    void onlyThisNodeByAddressOrHostnameIsServedHere() {
        assertInstanceOf(RelayPlan.Local.class, plan(List.of("127.0.87.1")));
        assertInstanceOf(RelayPlan.Local.class, plan(List.of("node-1:50000", "127.0.87.1")));
    }

    @Test
    void thisNodeOnAnotherPortIsATarget() {
        assertInstanceOf(RelayPlan.Fanout.class, plan(List.of("127.0.87.1:50001")));
    }

    @Test
    void targetsFromRepeatedValuesAndCommasKeepTheirOrderOnceEach() {
        RelayPlan.Fanout fanout = assertInstanceOf(RelayPlan.Fanout.class,
                plan(List.of("127.0.87.2, 127.0.87.3:50000", "127.0.87.1", "127.0.87.2")));

        assertEquals(List.of(new RelayTarget("127.0.87.2", new NodeAddress("127.0.87.2", 50000)),
                new RelayTarget("127.0.87.3:50000", new NodeAddress("127.0.87.3", 50000)),
                new RelayTarget("127.0.87.1", new NodeAddress("127.0.87.1", 50000))), fanout.targets());
    }

    @Test
    void anEmptyAddressIsRefusedNamingTheMetadata() {
        RelayPlan.Refused refused = assertInstanceOf(RelayPlan.Refused.class, plan(List.of("127.0.87.2,,127.0.87.3")));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.code());
        assertTrue(refused.message().startsWith("nodes metadata: empty node address"), refused.message());
    }

    @Test
    void aBadPortIsRefusedNamingTheMetadata() {
        RelayPlan.Refused refused = assertInstanceOf(RelayPlan.Refused.class, plan(List.of("127.0.87.2:http")));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.code());
        assertEquals("nodes metadata: node address 127.0.87.2:http: port is not a number", refused.message());
    }

    @Test
    void aRelayedCallNamingAnotherNodeIsNotRelayedAgain() {
        RelayPlan.Refused refused = assertInstanceOf(RelayPlan.Refused.class, RelayPlan.plan(List.of("127.0.87.2"),
                "Version", RelayPlan.Shape.MERGED_UNARY, SELF, true, true));

        assertEquals(Status.Code.FAILED_PRECONDITION, refused.code());
    }

    @Test
    void aRelayedCallNamingOnlyThisNodeIsServedHere() {
        assertInstanceOf(RelayPlan.Local.class, RelayPlan.plan(List.of("127.0.87.1"), "Version",
                RelayPlan.Shape.MERGED_UNARY, SELF, true, true));
    }

    @Test
    void aNodeWithoutIdentityRelaysNothing() {
        RelayPlan.Refused refused = assertInstanceOf(RelayPlan.Refused.class, RelayPlan.plan(List.of("127.0.87.2"),
                "Version", RelayPlan.Shape.MERGED_UNARY, SELF, false, false));

        assertEquals(Status.Code.FAILED_PRECONDITION, refused.code());
    }

    @Test
    void aOneNodeMethodIsRefusedNamingTheMethod() {
        RelayPlan.Refused refused = assertInstanceOf(RelayPlan.Refused.class, RelayPlan.plan(List.of("127.0.87.2"),
                "EtcdSnapshot", RelayPlan.Shape.NOT_RELAYED, SELF, false, true));

        assertEquals(Status.Code.UNIMPLEMENTED, refused.code());
        assertTrue(refused.message().startsWith("EtcdSnapshot "), refused.message());
    }

    @Test
    void moreTargetsThanTheLimitAreRefused() {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i <= RelayPlan.MAX_TARGETS; i++) {
            many.add("127.0.87.2:" + (40000 + i));
        }
        RelayPlan.Refused refused = assertInstanceOf(RelayPlan.Refused.class, plan(many));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.code());
        assertEquals(Collections.nCopies(1, "nodes metadata: 65 nodes, at most 64 per call"),
                List.of(refused.message()));
    }
}
