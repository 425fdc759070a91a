package dev.kiln.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-node cluster whose EPHEMERAL partition is a small tmpfs: filled up, then remounted read-only under a
 * restarting node-init. The machine API stays up, the etcd service says why it fails, and etcd comes back once the
 * disk can be written again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdDiskFaultTest {

    private static final Duration WITHIN = Duration.ofSeconds(120);

    private TestCluster cluster;
    private NodeProcess node;
    private Path ephemeral;
    private boolean mounted;
    private final List<String> acknowledged = new ArrayList<>();

    @BeforeAll
    void formOneNodeClusterOnATmpfs(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("cluster").resolve("node-1");
        ephemeral = root.resolve("EPHEMERAL");
        Files.createDirectories(ephemeral);
        mounted = run("mount", "-t", "tmpfs", "-o", "size=120m", "tmpfs", ephemeral.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root and mount): disk fault tests skipped");
        cluster = new TestCluster("127.0.61", dir.resolve("cluster"));
        node = cluster.startNode(1);
        cluster.configure(node, cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(1)));
        cluster.bootstrap(node);
        cluster.awaitVotingMembers(node, 1);
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (mounted) {
            run("umount", "-l", ephemeral.toString());
        }
    }

    @Order(1)
    @Test
    void aFullDiskShowsNoSpaceLeftAsEtcdsReasonAndEtcdRecoversOnceSpaceIsFreed() throws Exception {
        putAcknowledged("before-full", 3, 16);
        Path filler = ephemeral.resolve("filler");
        fill(filler);
        try (EtcdKeys keys = cluster.etcdKeys(node)) {
            String big = "x".repeat(512 * 1024);
            for (int i = 0; i < 200 && etcdFailedWith("no space left on device").isEmpty(); i++) {
                try {
                    keys.put("full/" + i, big);
                } catch (Exception e) {
                    // Expected once etcd hits the full disk; the service must then say why.
                }
            }
        }
        ServiceInfo etcd = Await.until("etcd fails with no space left on device", WITHIN,
                () -> etcdFailedWith("no space left on device"));
        System.out.println("etcd on a full disk: " + etcd.getState() + " " + etcd.getHealth().getLastMessage());
        assertTrue(etcd.getEvents().getEventsList().stream()
                .anyMatch(e -> e.getMsg().toLowerCase(Locale.ROOT).contains("no space left on device")),
                "an event names the reason: " + etcd.getEvents());

        Files.delete(filler);
        cluster.awaitVotingMembers(node, 1);
        assertEveryAcknowledgedKeyReadable();
    }

    @Order(2)
    @Test
    void aReadOnlyEphemeralAtBootKeepsTheApiUpShowsTheReasonAndEtcdResumesWhenWritable() throws Exception {
        putAcknowledged("before-read-only", 3, 16);
        node.killWithChildren();
        assertEquals(0, run("mount", "-o", "remount,ro", ephemeral.toString()), "remount read-only");
        try {
            node = node.restart();
            cluster.track(node);
            ServiceInfo etcd = Await.until("etcd fails with read-only file system", WITHIN,
                    () -> etcdFailedWith("read-only file system"));
            assertEquals("Failed", etcd.getState());
            System.out.println("etcd on a read-only disk: " + etcd.getState() + " " + etcd.getHealth().getLastMessage());
        } finally {
            assertEquals(0, run("mount", "-o", "remount,rw", ephemeral.toString()), "remount read-write");
        }
        cluster.awaitVotingMembers(node, 1);
        assertEveryAcknowledgedKeyReadable();
    }

    @Order(3)
    @Test
    void aStoredConfigThatCannotBeParsedBootsIntoMaintenanceSayingWhyAndAReappliedConfigResumesEtcd()
            throws Exception {
        putAcknowledged("before-broken-config", 3, 16);
        node.killWithChildren();
        Path configFile = node.root().resolve("STATE").resolve("config.yaml");
        String good = Files.readString(configFile);
        Files.writeString(configFile, "version: v1alpha1\nmachine: [unclosed\n");

        node = node.restart();
        cluster.track(node);
        Await.condition("console says the stored config cannot be used", WITHIN,
                () -> node.consoleText().contains("stored config cannot be used"));
        String fingerprint = node.awaitFingerprint(WITHIN);
        try (MachineClient maintenance = MachineClient.connect(TestCluster.nodeAddress(node),
                ClientCredentials.Maintenance.pinned(fingerprint))) {
            // without a readable machine CA nobody can be authenticated: the cause is on the console only
            assertEquals("maintenance", maintenance.version().getPlatform().getMode());
        }

        cluster.configure(node, good);
        cluster.awaitVotingMembers(node, 1);
        assertEveryAcknowledgedKeyReadable();
    }

    private Optional<ServiceInfo> etcdFailedWith(String reason) {
        try (MachineClient client = cluster.admin(node)) {
            return client.serviceList().stream()
                    .filter(s -> s.getId().equals("etcd") && !s.getHealth().getHealthy()
                            && s.getHealth().getLastMessage().toLowerCase(Locale.ROOT).contains(reason))
                    .findFirst();
        }
    }

    private void putAcknowledged(String prefix, int count, int bytes) throws Exception {
        try (EtcdKeys keys = cluster.etcdKeys(node)) {
            for (int i = 0; i < count; i++) {
                String key = "acked/" + prefix + "/" + i;
                keys.put(key, key + "=" + "v".repeat(bytes));
                acknowledged.add(key);
            }
        }
    }

    private void assertEveryAcknowledgedKeyReadable() throws Exception {
        Await.condition("every acknowledged key readable", WITHIN, () -> {
            try (EtcdKeys keys = cluster.etcdKeys(node)) {
                for (String key : acknowledged) {
                    if (keys.get(key).isEmpty()) {
                        throw new AssertionError(key + " lost");
                    }
                }
                return true;
            }
        });
    }

    /** Writes until the tmpfs refuses, leaving it full. */
    private static void fill(Path filler) {
        byte[] block = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            // ENOSPC: the disk is full now.
        }
    }

    private static int run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            int code = process.waitFor();
            if (code != 0) {
                System.out.println(String.join(" ", command) + ": " + output.strip());
            }
            return code;
        } catch (IOException e) {
            return -1;
        }
    }
}
