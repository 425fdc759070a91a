package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.EtcdMemberAlarm;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.Role;
import dev.kiln.node.testing.ConfigYaml;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.KilnctlRun;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Alarm list, disarm and defragment on a real etcd whose backend quota is small enough for a test to fill, so the
 * NOSPACE alarm is raised by etcd itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdMaintenanceTest {

    private static final long QUOTA_BYTES = 2L * 1024 * 1024;
    private static final String BIG_VALUE = "x".repeat(256 * 1024);
    private static final int MAX_BIG_KEYS = 64;

    private TestCluster cluster;
    private NodeProcess node;
    private NodeProcess worker;
    private Path kilnconfig;
    private long memberId;
    private int bigKeysWritten;

    @BeforeAll
    void configureAControlPlaneWithATinyQuota(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.82", work);
        node = cluster.startNode(1);
        worker = cluster.startNode(2);
        String config = ConfigYaml.edit(cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(1)),
                tree -> ConfigYaml.at(tree, "cluster", "etcd", "extraArgs")
                        .put("quota-backend-bytes", Long.toString(QUOTA_BYTES)));
        cluster.configureAll(Map.of(node, config, worker, cluster.config(MachineType.WORKER, cluster.etcdPeers(1))));
        kilnconfig = Files.writeString(work.resolve("kilnconfig"), KilnConfig.of("test",
                KilnContext.forAdmin(cluster.secrets(), List.of(node.address()))).toYaml());
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    @Order(1)
    void aControlPlaneWithoutEtcdYetAnswersAlarmListWithFailedPrecondition() {
        try (MachineClient client = cluster.admin(node)) {
            MachineApiException refused = assertThrows(MachineApiException.class, client::etcdAlarmList);
            assertEquals(Status.Code.FAILED_PRECONDITION, refused.code(), refused.getMessage());
            assertTrue(refused.getMessage().contains("etcd is not running on this node"), refused.getMessage());
        }
    }

    @Test
    @Order(1)
    void aWorkerAnswersEveryEtcdMaintenanceCallWithUnimplementedAsTalosDoes() {
        try (MachineClient client = cluster.admin(worker)) {
            for (Runnable call : List.<Runnable>of(client::etcdAlarmList, client::etcdAlarmDisarm,
                    client::etcdDefragment)) {
                MachineApiException refused = assertThrows(MachineApiException.class, call::run);
                assertEquals(Status.Code.UNIMPLEMENTED, refused.code(), refused.getMessage());
                assertTrue(refused.getMessage().contains("etcd runs only on control-plane nodes"),
                        refused.getMessage());
            }
        }
    }

    @Test
    @Order(2)
    void aHealthyMemberListsNoAlarms() throws Exception {
        cluster.bootstrap(node);
        try (MachineClient client = cluster.admin(node)) {
            memberId = cluster.awaitVotingMembers(node, 1).get(0).getId();

            assertEquals(List.of(), client.etcdAlarmList());
        }
    }

    @Test
    @Order(3)
    void writingPastTheQuotaRaisesANospaceAlarmThatTheListShows() throws Exception {
        try (EtcdKeys keys = cluster.etcdKeys(node)) {
            Optional<Exception> refusal = Optional.empty();
            while (refusal.isEmpty() && bigKeysWritten < MAX_BIG_KEYS) {
                try {
                    keys.put("/big/" + bigKeysWritten, BIG_VALUE);
                    bigKeysWritten++;
                } catch (Exception e) {
                    refusal = Optional.of(e);
                }
            }
            assertTrue(refusal.isPresent(), "etcd took " + bigKeysWritten + " values of 256 KiB under a 2 MiB quota");
            assertTrue(String.valueOf(refusal.get().getMessage()).contains("database space exceeded"),
                    String.valueOf(refusal.get()));
        }
        try (MachineClient client = cluster.admin(node)) {
            assertEquals(List.of(nospace()), client.etcdAlarmList());
        }
    }

    @Test
    @Order(4)
    void kilnctlAlarmListPrintsTheAlarmWithItsMemberIdInSixteenHexDigits() {
        KilnctlRun list = kilnctl("etcd", "alarm", "list", "-n", node.address());

        assertEquals(0, list.exit(), list.err());
        List<String> lines = list.out().strip().lines().toList();
        assertEquals(List.of("NODE", "MEMBER", "ALARM"), List.of(lines.get(0).split("\\s+")));
        assertEquals(List.of(node.address() + ":" + node.port(), String.format("%016x", memberId), "NOSPACE"),
                List.of(lines.get(1).split("\\s+")));
        assertEquals(2, lines.size(), list.out());
    }

    @Test
    @Order(5)
    void aReaderListsTheAlarmButMayNeitherDisarmNorDefragment() {
        try (MachineClient reader = cluster.client(node, Set.of(Role.READER))) {
            assertEquals(List.of(nospace()), reader.etcdAlarmList());
            assertEquals(Status.Code.PERMISSION_DENIED,
                    assertThrows(MachineApiException.class, reader::etcdAlarmDisarm).code());
            assertEquals(Status.Code.PERMISSION_DENIED,
                    assertThrows(MachineApiException.class, reader::etcdDefragment).code());
        }
        try (MachineClient client = cluster.admin(node)) {
            assertEquals(List.of(nospace()), client.etcdAlarmList(), "a refused disarm disarmed nothing");
        }
    }

    @Test
    @Order(6)
    void defragmentingAfterDeletingAndCompactingShrinksTheDatabase() throws Exception {
        try (EtcdKeys keys = cluster.etcdKeys(node)) {
            for (int i = 0; i < bigKeysWritten; i++) {
                keys.delete("/big/" + i);
            }
            keys.compactToCurrentRevision();
        }
        try (MachineClient client = cluster.admin(node)) {
            long before = client.etcdStatus().getDbSize();

            client.etcdDefragment();

            long after = client.etcdStatus().getDbSize();
            assertTrue(after < before, "db size " + before + " B before defragmenting, " + after + " B after");
        }
    }

    @Test
    @Order(7)
    void kilnctlAlarmDisarmPrintsTheDisarmedAlarmAndTheMemberTakesWritesAgain() throws Exception {
        KilnctlRun disarm = kilnctl("etcd", "alarm", "disarm", "-n", node.address());

        assertEquals(0, disarm.exit(), disarm.err());
        assertTrue(disarm.out().matches("(?s).*" + String.format("%016x", memberId) + " +NOSPACE\n.*"), disarm.out());
        try (MachineClient client = cluster.admin(node)) {
            assertEquals(List.of(), client.etcdAlarmList());
        }
        try (EtcdKeys keys = cluster.etcdKeys(node)) {
            keys.put("/after-disarm", "written");
            assertEquals(Optional.of("written"), keys.get("/after-disarm"));
        }
    }

    @Test
    @Order(8)
    void kilnctlDefragReportsTheNode() {
        KilnctlRun defrag = kilnctl("etcd", "defrag", "-n", node.address());

        assertEquals(0, defrag.exit(), defrag.err());
        assertEquals(node.address() + ":" + node.port() + ": defragmented", defrag.out().strip());
    }

    private EtcdMemberAlarm nospace() {
        return EtcdMemberAlarm.newBuilder().setMemberId(memberId).setAlarm(EtcdMemberAlarm.AlarmType.NOSPACE).build();
    }

    private KilnctlRun kilnctl(String... args) {
        return KilnctlRun.of(Optional.of(kilnconfig), args);
    }
}
