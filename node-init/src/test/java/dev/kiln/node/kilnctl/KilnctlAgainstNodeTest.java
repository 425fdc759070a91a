package dev.kiln.node.kilnctl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.KilnctlRun;
import dev.kiln.node.testing.NodeProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** kilnctl driving a real node-init over the machine API, configured and bootstrapped by kilnctl alone. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KilnctlAgainstNodeTest {

    private static final String NODE = "127.0.40.1";

    private Path dir;
    private NodeProcess node;

    private KilnctlRun kilnctl(String... args) {
        Optional<Path> kilnconfig = args[0].equals("gen") ? Optional.empty() : Optional.of(dir.resolve("kilnconfig"));
        return KilnctlRun.of(kilnconfig, args);
    }

    @BeforeAll
    void startNode(@TempDir Path work) throws Exception {
        dir = work;
        KilnctlRun gen = kilnctl("gen", "config", "cli", "https://" + NODE + ":6443", "--output", dir.toString(),
                "--etcd-peers", "https://" + NODE + ":2379");
        assertEquals(0, gen.exit(), gen.err());
        node = NodeProcess.start(dir.resolve("node"), NODE, "cli-1");
    }

    @AfterAll
    void stopNode() throws Exception {
        node.close();
    }

    @Test
    @Order(1)
    void applyConfigInsecureWithThePinnedFingerprintConfiguresTheNode() throws Exception {
        String fingerprint = node.awaitFingerprint(Duration.ofSeconds(30));
        KilnctlRun apply = kilnctl("apply-config", "--insecure", "--nodes", NODE, "--cert-fingerprint", fingerprint,
                "-f", dir.resolve("controlplane.yaml").toString());
        assertEquals(0, apply.exit(), apply.err());
        Await.condition("node configured", Duration.ofSeconds(60),
                () -> kilnctl("version", "-n", NODE).out().contains("slot"));
    }

    @Test
    @Order(2)
    void applyConfigInsecureWithAWrongFingerprintIsRefused() {
        KilnctlRun apply = kilnctl("apply-config", "--insecure", "--nodes", NODE, "--cert-fingerprint", "ab".repeat(32),
                "-f", dir.resolve("controlplane.yaml").toString());
        assertEquals(1, apply.exit());
        assertTrue(apply.err().startsWith("error: node " + NODE + ":50000: UNAVAILABLE"), apply.err());
    }

    @Test
    @Order(3)
    void bootstrapThenMembersShowsTheNode() {
        KilnctlRun bootstrap = kilnctl("bootstrap", "-n", NODE);
        assertEquals(0, bootstrap.exit(), bootstrap.err());
        KilnctlRun members = kilnctl("etcd", "members", "-n", NODE);
        assertEquals(0, members.exit(), members.err());
        assertTrue(members.out().contains("cli-1"), members.out());
    }

    @Test
    @Order(4)
    void aSecondBootstrapPrintsTheNodeAndStatusOnOneLine() {
        KilnctlRun again = kilnctl("bootstrap", "-n", NODE);
        assertEquals(1, again.exit());
        assertTrue(again.err().startsWith("error: node " + NODE + ":50000: ALREADY_EXISTS: "), again.err());
        assertEquals(1, again.err().strip().lines().count(), again.err());
    }

    @Test
    @Order(5)
    void servicesLogsAndStatusDescribeTheRunningEtcd() {
        KilnctlRun services = kilnctl("services", "-n", NODE);
        assertTrue(services.out().contains("etcd") && services.out().contains("RUNNING"), services.out());
        KilnctlRun logs = kilnctl("logs", "etcd", "-n", NODE);
        assertTrue(logs.out().contains("etcd bootstrapped"), logs.out());
        KilnctlRun status = kilnctl("etcd", "status", "-n", NODE);
        assertTrue(status.out().contains("learner false"), status.out());
    }

    @Test
    @Order(6)
    void snapshotWritesTheEtcdDatabaseToAFile() throws Exception {
        Path snapshot = dir.resolve("etcd.snapshot");
        KilnctlRun run = kilnctl("etcd", "snapshot", snapshot.toString(), "-n", NODE);
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.size(snapshot) > 0);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)));
    }

    @Test
    @Order(6)
    void snapshotNeverWritesThroughASymlinkPlantedNextToItsFile() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "keep");
        Path snapshot = dir.resolve("planted.snapshot");
        Files.createSymbolicLink(dir.resolve("planted.snapshot.part"), victim);
        Files.createSymbolicLink(dir.resolve("planted.snapshot.tmp"), victim);

        KilnctlRun run = kilnctl("etcd", "snapshot", snapshot.toString(), "-n", NODE);

        assertEquals(0, run.exit(), run.err());
        assertArrayEquals("keep".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(victim));
        assertTrue(Files.isRegularFile(snapshot, LinkOption.NOFOLLOW_LINKS));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(snapshot, LinkOption.NOFOLLOW_LINKS)));
    }

    @Test
    @Order(7)
    void eventsShowServiceStatesAndMachineStages() {
        KilnctlRun events = kilnctl("events", "-n", NODE, "--duration", "2");
        assertTrue(events.out().contains("service etcd RUNNING"), events.out());
        assertTrue(events.out().contains("machine RUNNING"), events.out());
    }
}
