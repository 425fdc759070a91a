package dev.kiln.node.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import io.grpc.Status;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import dev.kiln.node.testing.TestReleases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upgrading members of a three-node control plane. */
class ControlPlaneUpgradeTest {

    private static final Duration WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private TestCluster cluster;

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private EtcdMemberStatus status(NodeProcess node) throws Exception {
        return Await.until(node.hostname() + " etcd status", WITHIN, () -> {
            try (MachineClient client = cluster.admin(node)) {
                return Optional.of(client.etcdStatus());
            }
        });
    }

    @Test
    void upgradedLeaderHandsOverLeadershipAndComesBackAsTheSameMemberWithItsData() throws Exception {
        cluster = new TestCluster("127.0.80", work.resolve("cluster"));
        List<NodeProcess> nodes = cluster.formControlPlane(3);
        TestReleases.Release v2 = new TestReleases(work.resolve("releases")).nodeInit("v0.2.0");
        long leaderId = status(nodes.get(0)).getLeader();
        NodeProcess leader = null;
        for (NodeProcess node : nodes) {
            if (status(node).getMemberId() == leaderId) {
                leader = node;
            }
        }
        EtcdMemberStatus before = status(leader);
        try (EtcdKeys keys = cluster.etcdKeys(nodes.get(0))) {
            keys.put("upgrade/before", "kept");
        }

        try (MachineClient client = cluster.admin(leader)) {
            client.upgrade(v2.fileRef(), false, true);
        }

        NodeProcess upgraded = leader;
        cluster.awaitVersion(upgraded, "runs v0.2.0, confirmed",
                version -> version.getRunning().equals("v0.2.0") && !version.getTrial());
        String etcdLog = Files.readString(upgraded.root().resolve("EPHEMERAL/logs/etcd.log"));
        assertTrue(etcdLog.contains("etcd leadership moved to"), "the leader handed over before rebooting");
        EtcdMemberStatus after = status(upgraded);
        assertEquals(before.getMemberId(), after.getMemberId());
        assertEquals(before.getClusterId(), after.getClusterId());
        Set<Long> members = cluster.awaitVotingMembers(upgraded, 3).stream().map(EtcdMember::getId)
                .collect(Collectors.toSet());
        assertTrue(members.contains(before.getMemberId()));
        try (EtcdKeys keys = cluster.etcdKeys(upgraded)) {
            assertEquals(Optional.of("kept"), keys.get("upgrade/before"));
        }
    }

    @Test
    void upgradeThatWouldCostEtcdItsQuorumIsRefusedWithNothingChangedUntilForced() throws Exception {
        cluster = new TestCluster("127.0.80", work.resolve("cluster"));
        List<NodeProcess> nodes = cluster.formControlPlane(3);
        TestReleases.Release v2 = new TestReleases(work.resolve("releases")).nodeInit("v0.2.0");
        nodes.get(2).killWithChildren();
        NodeProcess node = nodes.get(0);
        Map<String, String> before = node.slotsAndMeta();

        try (MachineClient client = cluster.admin(node)) {
            MachineApiException refused = assertThrows(MachineApiException.class,
                    () -> client.upgrade(v2.fileRef(), true, true));
            assertEquals(Status.Code.FAILED_PRECONDITION, refused.code());
            assertTrue(refused.status().getDescription().contains("etcd would lose its quorum"),
                    refused.status().getDescription());
            assertEquals(before, node.slotsAndMeta());

            String ack = client.upgrade(v2.fileRef(), true, true, true);
            assertTrue(ack.contains("staged"), ack);
        }
        assertTrue(!before.equals(node.slotsAndMeta()), "the forced upgrade installed the release");
    }
}
