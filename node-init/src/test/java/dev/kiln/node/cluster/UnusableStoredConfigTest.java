package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.Role;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.NodeEvents;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A control-plane node whose stored config stopped validating (edited on its disk from outside while it was down)
 * keeps its machine API: mutual TLS with the machine CA the stored config names, the cause in its events, and Reset.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnusableStoredConfigTest {

    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final String CAUSE = "stored config cannot be used";

    private TestCluster cluster;
    private NodeProcess node;
    private String goodConfig;

    @BeforeAll
    void bootstrapANodeThenBreakItsStoredConfig(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.63", work);
        node = cluster.startNode(1);
        goodConfig = cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(1));
        cluster.configure(node, goodConfig);
        cluster.bootstrap(node);
        cluster.awaitVotingMembers(node, 1);
        breakTheStoredConfigWhileTheNodeIsDown();
    }

    /** A value that no longer validates, written straight to STATE as a faulty disk or an old release could. */
    private void breakTheStoredConfigWhileTheNodeIsDown() throws Exception {
        node.killWithChildren();
        Path stored = node.root().resolve("STATE").resolve("config.yaml");
        String yaml = Files.readString(stored);
        assertTrue(yaml.contains("\ndebug: false\n"), yaml);
        Files.writeString(stored, yaml.replace("\ndebug: false\n", "\ndebug: sometimes\n"));
        long causesBefore = node.consoleText().lines().filter(line -> line.contains(CAUSE)).count();
        node = node.restart();
        cluster.track(node);
        Await.condition("console says the stored config cannot be used", WITHIN,
                () -> node.consoleText().lines().filter(line -> line.contains(CAUSE)).count() > causesBefore);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    private long fingerprintsPrinted() throws Exception {
        return node.consoleText().lines().filter(line -> line.contains("certificate fingerprint ")).count();
    }

    @Test
    @Order(1)
    void itServesMutualTlsWithTheStoredMachineCaAndItsEventsSayWhy() throws Exception {
        try (MachineClient admin = cluster.admin(node)) {
            Await.condition("the node answers over mutual TLS", WITHIN,
                    () -> !admin.version().getPlatform().getMode().equals("maintenance"));
            NodeEvents.awaitStageMessage(admin, CAUSE, WITHIN);
        }
    }

    @Test
    @Order(2)
    void etcdCallsAreRefusedNamingTheStoredConfigRatherThanRunningEtcdWithoutIt() {
        try (MachineClient admin = cluster.admin(node)) {
            MachineApiException refused = assertThrows(MachineApiException.class, admin::etcdStatus);
            assertEquals(Status.Code.FAILED_PRECONDITION, refused.code());
            assertTrue(refused.getMessage().contains(CAUSE) && refused.getMessage().contains("debug"),
                    refused.getMessage());
        }
    }

    @Test
    @Order(3)
    void aReaderMayLookButMayNotReset() {
        try (MachineClient reader = cluster.client(node, Set.of(Role.READER))) {
            assertNotEquals("maintenance", reader.version().getPlatform().getMode());
            MachineApiException denied = assertThrows(MachineApiException.class,
                    () -> reader.reset(false, true, List.of()));
            assertEquals(Status.Code.PERMISSION_DENIED, denied.code());
        }
    }

    @Test
    @Order(4)
    void resetWipesTheNodeBackToMaintenanceAndAGoodConfigConfiguresItAgain() throws Exception {
        long fingerprintsBefore = fingerprintsPrinted();
        try (MachineClient admin = cluster.admin(node)) {
            admin.reset(false, true, List.of());
        }
        Await.condition("the node prints its maintenance fingerprint again", WITHIN,
                () -> fingerprintsPrinted() > fingerprintsBefore);
        assertFalse(Files.exists(node.root().resolve("STATE").resolve("config.yaml")), "the broken config is gone");
        try (var etcdData = Files.list(node.root().resolve("EPHEMERAL").resolve("etcd"))) {
            assertEquals(List.of(), etcdData.toList(), "etcd data is wiped");
        }

        cluster.configure(node, goodConfig);
        try (MachineClient admin = cluster.admin(node)) {
            assertNotEquals("maintenance", admin.version().getPlatform().getMode());
        }
    }

    @Test
    @Order(5)
    void anAdminMayReplaceTheUnusableConfigWithoutAReset() throws Exception {
        breakTheStoredConfigWhileTheNodeIsDown();
        int bootsBefore = node.boots();
        try (MachineClient admin = cluster.admin(node)) {
            admin.applyConfiguration(goodConfig.getBytes(StandardCharsets.UTF_8),
                    ApplyConfigurationRequest.Mode.AUTO, false, null);
        }
        Await.condition("the node reboots into the replaced config", WITHIN, () -> node.boots() > bootsBefore);
        try (MachineClient admin = cluster.admin(node)) {
            Await.condition("the node answers configured", WITHIN,
                    () -> !admin.version().getPlatform().getMode().equals("maintenance"));
            cluster.bootstrap(node);
            Await.condition("etcd runs on the replaced config", WITHIN, () -> admin.etcdStatus().getLeader() != 0);
        }
    }
}
