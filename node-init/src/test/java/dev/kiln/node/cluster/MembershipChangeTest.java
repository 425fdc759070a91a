package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaving, removing and leadership on a real cluster. Four members so that a killed member still leaves a quorum;
 * the changes run last, in order, and each asserts against the member count it found.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MembershipChangeTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    private TestCluster cluster;
    private List<NodeProcess> nodes;

    @BeforeAll
    void formCluster(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.23", work);
        nodes = cluster.formControlPlane(4);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    @Order(1)
    void forfeitLeadershipOnAFollowerReturnsEmptyAndKeepsTheLeader() throws Exception {
        String leader = leaderName();
        NodeProcess follower = nodes.stream().filter(node -> !node.hostname().equals(leader)).findFirst()
                .orElseThrow();
        long leaderBefore = status(follower).getLeader();

        try (MachineClient client = cluster.admin(follower)) {
            assertEquals("", client.etcdForfeitLeadership());
        }
        assertEquals(leaderBefore, status(follower).getLeader());
    }

    @Test
    @Order(2)
    void forfeitLeadershipOnTheLeaderMovesLeadershipToTheMemberItNames() throws Exception {
        NodeProcess leader = node(leaderName());
        long leaderIdBefore = status(leader).getLeader();

        String successor;
        try (MachineClient client = cluster.admin(leader)) {
            successor = client.etcdForfeitLeadership();
        }

        assertNotEquals("", successor);
        assertNotEquals(leader.hostname(), successor);
        long successorId = memberId(successor);
        for (NodeProcess node : nodes) {
            Await.condition(node.hostname() + " sees " + successor + " lead", SETTLE,
                    () -> status(node).getLeader() == successorId);
        }
        assertNotEquals(leaderIdBefore, successorId);
    }

    @Test
    @Order(3)
    void removeMemberByIdWithAnUnknownIdIsNotFound() throws Exception {
        List<EtcdMember> before = members(nodes.get(0));
        long unknown = before.stream().mapToLong(EtcdMember::getId).max().orElseThrow() + 1;

        try (MachineClient client = cluster.admin(nodes.get(0))) {
            MachineApiException refused = assertThrows(MachineApiException.class,
                    () -> client.etcdRemoveMemberById(unknown));
            assertEquals(Status.Code.NOT_FOUND, refused.code(), refused.getMessage());
        }
        assertEquals(before.size(), members(nodes.get(0)).size());
    }

    @Test
    @Order(4)
    void removeMemberByIdOfAKilledNodeDropsItsMemberAndKeepsTheKeys() throws Exception {
        NodeProcess survivor = nodes.get(0);
        NodeProcess dead = nodes.get(3);
        int before = members(survivor).size();
        long deadId = memberId(dead.hostname());
        try (EtcdKeys keys = cluster.etcdKeys(survivor)) {
            keys.put("membership/before-remove", "kept");
        }

        dead.killWithChildren();
        try (MachineClient client = cluster.admin(survivor)) {
            client.etcdRemoveMemberById(deadId);
        }

        List<EtcdMember> after = cluster.awaitVotingMembers(survivor, before - 1);
        assertFalse(after.stream().anyMatch(member -> member.getId() == deadId), "still a member: " + after);
        try (EtcdKeys keys = cluster.etcdKeys(nodes.get(1))) {
            assertEquals(Optional.of("kept"), keys.get("membership/before-remove"));
        }
    }

    @Test
    @Order(5)
    void leaveClusterEndsWithOneMemberFewerAndEmptiesTheNodesDataDirectory() throws Exception {
        NodeProcess survivor = nodes.get(0);
        NodeProcess leaving = nodes.get(2);
        int before = members(survivor).size();
        try (EtcdKeys keys = cluster.etcdKeys(leaving)) {
            keys.put("membership/before-leave", "kept");
        }

        try (MachineClient client = cluster.admin(leaving)) {
            client.etcdLeaveCluster();
        }

        List<EtcdMember> after = members(survivor);
        assertEquals(before - 1, after.size(), "members " + after);
        assertEquals(2, after.size(), "members " + after);
        assertFalse(after.stream().anyMatch(member -> member.getHostname().equals(leaving.hostname())));
        try (Stream<Path> data = Files.list(leaving.root().resolve("EPHEMERAL").resolve("etcd"))) {
            assertEquals(List.of(), data.toList());
        }
        try (EtcdKeys keys = cluster.etcdKeys(survivor)) {
            assertEquals(Optional.of("kept"), keys.get("membership/before-leave"));
        }
    }

    private String leaderName() {
        long leaderId = status(nodes.get(0)).getLeader();
        return members(nodes.get(0)).stream().filter(member -> member.getId() == leaderId)
                .map(EtcdMember::getHostname).findFirst().orElseThrow();
    }

    private long memberId(String hostname) {
        return members(nodes.get(0)).stream().filter(member -> member.getHostname().equals(hostname))
                .mapToLong(EtcdMember::getId).findFirst().orElseThrow();
    }

    private NodeProcess node(String hostname) {
        return nodes.stream().filter(node -> node.hostname().equals(hostname)).findFirst().orElseThrow();
    }

    private EtcdMemberStatus status(NodeProcess node) {
        try (MachineClient client = cluster.admin(node)) {
            return client.etcdStatus();
        }
    }

    private List<EtcdMember> members(NodeProcess node) {
        try (MachineClient client = cluster.admin(node)) {
            return client.etcdMemberList(false).getMembersList();
        }
    }
}
