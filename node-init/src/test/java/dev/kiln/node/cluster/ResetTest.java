package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A graceful Reset of one control-plane node of three; the tests check what it left behind. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResetTest {

    private static final String FINGERPRINT_LINE = "certificate fingerprint ";

    private TestCluster cluster;
    private List<NodeProcess> nodes;
    private NodeProcess reset;
    private String fingerprintBefore;

    @BeforeAll
    void resetOneNodeOfThree(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.26", work);
        nodes = cluster.formControlPlane(3);
        reset = nodes.get(2);
        fingerprintBefore = reset.awaitFingerprint(Duration.ofSeconds(5));
        int fingerprintsPrinted = fingerprintsPrinted(reset);
        try (EtcdKeys keys = cluster.etcdKeys(nodes.get(0))) {
            keys.put("reset/before", "kept");
        }

        try (MachineClient client = cluster.admin(reset)) {
            client.reset(true, true, List.of());
        }

        Await.condition(reset.hostname() + " prints its maintenance fingerprint again", Duration.ofSeconds(60),
                () -> fingerprintsPrinted(reset) > fingerprintsPrinted);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    @Test
    void gracefulResetLeavesEtcdSoTheOthersKeepTwoMembersAndTheirData() throws Exception {
        List<EtcdMember> members = cluster.awaitVotingMembers(nodes.get(0), 2);

        assertFalse(members.stream().anyMatch(member -> member.getHostname().equals(reset.hostname())),
                "members " + members);
        try (EtcdKeys keys = cluster.etcdKeys(nodes.get(1))) {
            assertEquals(Optional.of("kept"), keys.get("reset/before"));
        }
    }

    @Test
    void gracefulResetWipesTheConfigAndTheEtcdData() throws Exception {
        Path state = reset.root().resolve("STATE");
        assertFalse(Files.exists(state.resolve("config.yaml")), "config survived the reset");
        assertFalse(Files.exists(state.resolve("etcd-membership.properties")), "membership record survived");
        try (Stream<Path> data = Files.list(reset.root().resolve("EPHEMERAL").resolve("etcd"))) {
            assertEquals(List.of(), data.toList());
        }
    }

    @Test
    void resetNodeComesBackInMaintenanceMode() throws Exception {
        try (MachineClient maintenance = MachineClient.connect(TestCluster.nodeAddress(reset),
                ClientCredentials.Maintenance.pinned(fingerprintBefore))) {
            assertEquals("maintenance", maintenance.version().getPlatform().getMode());
        }
    }

    @Test
    void resetNodeKeepsItsMaintenanceFingerprint() throws Exception {
        assertEquals(fingerprintBefore, reset.awaitFingerprint(Duration.ofSeconds(5)));
    }

    private static int fingerprintsPrinted(NodeProcess node) throws Exception {
        String console = node.consoleText();
        int count = 0;
        for (int at = console.indexOf(FINGERPRINT_LINE); at >= 0; at = console.indexOf(FINGERPRINT_LINE, at + 1)) {
            count++;
        }
        return count;
    }
}
