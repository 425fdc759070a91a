package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterFormationTest {

    private TestCluster cluster;
    private List<NodeProcess> nodes;

    @BeforeAll
    void formCluster(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.21", work);
        String config = cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(3));
        nodes = List.of(cluster.startNode(1), cluster.startNode(2), cluster.startNode(3));
        for (NodeProcess node : nodes) {
            cluster.configure(node, config);
        }
        cluster.bootstrap(nodes.get(0));
        Await.condition("three voting members", Duration.ofSeconds(60), () -> {
            try (MachineClient first = cluster.admin(nodes.get(0))) {
                List<EtcdMember> members = first.etcdMemberList(false).getMembersList();
                return members.size() == 3 && members.stream().noneMatch(EtcdMember::getIsLearner);
            }
        });
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void everyNodeReportsTheSameMembersAndClusterId() throws Exception {
        Set<Long> clusterIds = new HashSet<>();
        Set<Set<Long>> memberSets = new HashSet<>();
        for (NodeProcess node : nodes) {
            try (MachineClient client = cluster.admin(node)) {
                clusterIds.add(client.etcdStatus().getClusterId());
                Set<Long> ids = new HashSet<>();
                client.etcdMemberList(true).getMembersList().forEach(member -> ids.add(member.getId()));
                memberSets.add(ids);
                assertFalse(client.etcdStatus().getIsLearner(), node.hostname() + " is still a learner");
            }
        }
        assertEquals(1, clusterIds.size(), "cluster ids " + clusterIds);
        assertEquals(1, memberSets.size(), "member sets " + memberSets);
        assertEquals(3, memberSets.iterator().next().size());
    }

    @Test
    void membersAreNamedAfterTheirNodes() throws Exception {
        try (MachineClient client = cluster.admin(nodes.get(1))) {
            Set<String> names = new HashSet<>();
            client.etcdMemberList(false).getMembersList().forEach(member -> names.add(member.getHostname()));
            assertEquals(Set.of("node-1", "node-2", "node-3"), names);
        }
    }
}
