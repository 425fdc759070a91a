package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.JoinerFacts;
import dev.kiln.node.testing.NetnsLinks;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three control-plane nodes, each in its own network namespace. A follower's link is cut while it keeps running, so it
 * campaigns alone; with pre-vote it never raises the term, and on heal the leader keeps its leadership.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdPartitionTest {

    private static final Duration WITHIN = Duration.ofSeconds(120);

    private NetnsLinks links;
    private TestCluster cluster;
    private final List<NodeProcess> nodes = new ArrayList<>();

    @BeforeAll
    void formClusterOnSeparateLinks(@TempDir Path dir) throws Exception {
        try {
            links = NetnsLinks.create("127.0.62", "62", 3);
        } catch (IOException e) {
            assumeTrue(false, "network namespaces with veth links cannot be made here (needs root and iproute2): "
                    + e.getMessage());
        }
        cluster = new TestCluster("127.0.62", dir.resolve("cluster"));
        for (int i = 1; i <= 3; i++) {
            nodes.add(cluster.startNodeInNetns(i, links.netns(i)));
        }
        String config = cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(3));
        Map<NodeProcess, String> configs = new LinkedHashMap<>();
        nodes.forEach(node -> configs.put(node, config));
        cluster.configureAll(configs);
        cluster.bootstrap(nodes.get(0));
        cluster.awaitVotingMembers(nodes.get(0), 3);
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (links != null) {
            links.close();
        }
    }

    @Test
    void anIsolatedFollowerCampaignsWithPreVoteOnlyAndTheLeaderKeepsLeadershipWhenItHeals() throws Exception {
        EtcdMemberStatus before = settledStatus(nodes.get(0));
        int isolated = indexOfAFollower(before.getLeader());
        NodeProcess follower = nodes.get(isolated - 1);
        NodeProcess majority = nodes.stream().filter(node -> node != follower).findFirst().orElseThrow();
        JoinerFacts followerDisk = new JoinerFacts(follower.root());
        int campaignsBefore = campaigns(followerDisk);

        links.cut(isolated);
        try {
            // Proof that the isolated member ran for election while cut off, and how it did.
            Await.condition("the isolated member campaigns at least three times", WITHIN,
                    () -> campaigns(followerDisk) >= campaignsBefore + 3);
            try (EtcdKeys keys = cluster.etcdKeys(majority)) {
                keys.put("partition/during", "majority writes on");
            }
        } finally {
            links.heal(isolated);
        }

        EtcdMemberStatus healed = Await.until(follower.hostname() + " follows again", WITHIN, () -> {
            try (MachineClient client = cluster.admin(follower)) {
                EtcdMemberStatus status = client.etcdStatus();
                return status.getLeader() != 0 ? Optional.of(status) : Optional.empty();
            }
        });
        System.out.println("partition: leader " + Long.toHexString(before.getLeader()) + " term "
                + before.getRaftTerm() + " before; leader " + Long.toHexString(healed.getLeader()) + " term "
                + healed.getRaftTerm() + " after; isolated member's campaigns: "
                + (campaigns(followerDisk) - campaignsBefore) + ", as a real candidate: "
                + count(followerDisk.etcdLogText(), "became candidate"));
        for (NodeProcess node : nodes) {
            EtcdMemberStatus after = settledStatus(node);
            assertEquals(Long.toHexString(before.getLeader()), Long.toHexString(after.getLeader()),
                    "leader seen from " + node.hostname());
            assertEquals(before.getRaftTerm(), after.getRaftTerm(), "raft term seen from " + node.hostname());
        }
        assertEquals(0, count(followerDisk.etcdLogText(), "became candidate"),
                "the isolated member raised its term as a real candidate");
        try (EtcdKeys keys = cluster.etcdKeys(follower)) {
            assertEquals(Optional.of("majority writes on"), keys.get("partition/during"));
        }
    }

    private int indexOfAFollower(long leaderId) throws Exception {
        for (int i = 1; i <= 3; i++) {
            if (settledStatus(nodes.get(i - 1)).getMemberId() != leaderId) {
                return i;
            }
        }
        throw new AssertionError("no follower");
    }

    private EtcdMemberStatus settledStatus(NodeProcess node) throws Exception {
        return Await.until(node.hostname() + " sees a leader", WITHIN, () -> {
            try (MachineClient client = cluster.admin(node)) {
                EtcdMemberStatus status = client.etcdStatus();
                return status.getLeader() != 0 ? Optional.of(status) : Optional.empty();
            }
        });
    }

    /** Elections the member started, each as a pre-candidate (pre-vote) or straight as a candidate. */
    private static int campaigns(JoinerFacts disk) {
        String log = disk.etcdLogText();
        return count(log, "became pre-candidate") + count(log, "became candidate");
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }
}
