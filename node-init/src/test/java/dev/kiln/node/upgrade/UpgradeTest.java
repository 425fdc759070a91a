package dev.kiln.node.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.EtcdMemberStatus;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.machine.VersionInfo;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.bootloader.TrialLimits;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import dev.kiln.node.testing.ArtifactServer;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.EtcdKeys;
import dev.kiln.node.testing.NodeEvents;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import dev.kiln.node.testing.TestReleases;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upgrades of a running node to releases built from this tree, and what happens when a release never comes up. */
class UpgradeTest {

    private static final String RUNNING = dev.kiln.node.api.VersionInfo.RUNNING;
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private TestCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private NodeProcess configured(int index, MachineType type, NodeProcess.Options options) throws Exception {
        cluster = new TestCluster("127.0.80", work.resolve("cluster"));
        NodeProcess node = cluster.startNode(index, options);
        cluster.configure(node, cluster.config(type, type == MachineType.CONTROLPLANE ? cluster.etcdPeers(index)
                .subList(index - 1, index) : List.of()));
        return node;
    }

    @Test
    void upgradeOverHttpsKeepsEtcdDataMemberAndCluster() throws Exception {
        Path caPem = work.resolve("artifacts-ca.pem");
        TestReleases releases = new TestReleases(work.resolve("releases"));
        TestReleases.Release v2 = releases.nodeInit("v0.2.0");
        try (ArtifactServer artifacts = ArtifactServer.serve(work.resolve("releases"), "127.0.80.100", caPem)) {
            NodeProcess node = configured(1, MachineType.CONTROLPLANE,
                    new NodeProcess.Options(Map.of(), List.of("--download-ca", caPem.toString())));
            cluster.bootstrap(node);
            cluster.awaitVotingMembers(node, 1);
            EtcdMemberStatus before = Await.until("etcd status", WITHIN, () -> {
                try (MachineClient client = cluster.admin(node)) {
                    return Optional.of(client.etcdStatus());
                }
            });
            try (EtcdKeys keys = cluster.etcdKeys(node)) {
                keys.put("upgrade/before", "kept");
            }

            String ack;
            try (MachineClient client = cluster.admin(node)) {
                ack = client.upgrade(artifacts.ref(v2), false, true);
            }

            assertTrue(ack.contains("to v0.2.0"), ack);
            VersionInfo after = cluster.awaitVersion(node, "runs v0.2.0, confirmed",
                    version -> version.getRunning().equals("v0.2.0") && !version.getTrial());
            assertEquals("v0.2.0", after.getTag());
            assertEquals("", after.getLastRollback());
            EtcdMemberStatus now = Await.until("etcd status after the upgrade", WITHIN, () -> {
                try (MachineClient client = cluster.admin(node)) {
                    return Optional.of(client.etcdStatus());
                }
            });
            assertEquals(before.getMemberId(), now.getMemberId(), "same etcd member");
            assertEquals(before.getClusterId(), now.getClusterId(), "same etcd cluster");
            try (EtcdKeys keys = cluster.etcdKeys(node)) {
                assertEquals(Optional.of("kept"), keys.get("upgrade/before"));
            }
            Meta meta = Meta.load(new DiskLayout(node.root()));
            assertEquals(Optional.of(RUNNING), meta.installedVersion(meta.activeSlot().other()),
                    "the previous version stays installed in the other slot");
        }
    }

    @Test
    void releaseThatExitsAtOnceIsRolledBackAndTheNodeSaysWhy() throws Exception {
        TestReleases.Release broken = new TestReleases(work.resolve("releases")).exitsAtOnce("v0.2.0-broken");
        NodeProcess node = configured(2, MachineType.WORKER, NodeProcess.Options.none());

        try (MachineClient client = cluster.admin(node)) {
            client.upgrade(broken.fileRef(), false, false);
        }

        VersionInfo after = cluster.awaitVersion(node, "rolled back", version -> !version.getLastRollback().isEmpty());
        assertEquals(RUNNING, after.getRunning());
        assertEquals("rolled back from v0.2.0-broken to " + RUNNING + ": not confirmed healthy after "
                + TrialLimits.DEFAULT_ATTEMPTS + " boot attempts", after.getLastRollback());
        try (MachineClient client = cluster.admin(node)) {
            ServiceInfo upgrade = client.serviceList().stream().filter(s -> s.getId().equals("upgrade")).findFirst()
                    .orElseThrow();
            assertEquals(after.getLastRollback(), upgrade.getHealth().getLastMessage());
            NodeEvents.awaitStageMessage(client, "last rollback: " + after.getLastRollback(), Duration.ofSeconds(10));
        }
    }

    @Test
    void releaseThatServesNothingIsRolledBackAtTheTrialTimeout() throws Exception {
        TestReleases.Release broken = new TestReleases(work.resolve("releases")).servesNothing("v0.2.0-silent");
        NodeProcess node = configured(3, MachineType.WORKER,
                new NodeProcess.Options(Map.of(TrialLimits.TIMEOUT_ENV, "8"), List.of()));

        try (MachineClient client = cluster.admin(node)) {
            client.upgrade(broken.fileRef(), false, false);
        }

        VersionInfo after = cluster.awaitVersion(node, "rolled back", version -> !version.getLastRollback().isEmpty());
        assertEquals(RUNNING, after.getRunning());
        assertEquals("rolled back from v0.2.0-silent to " + RUNNING + ": not confirmed healthy within 8s",
                after.getLastRollback());
    }

    @Test
    void digestMismatchIsRefusedWithSlotsAndMetaUnchanged() throws Exception {
        TestReleases.Release v2 = new TestReleases(work.resolve("releases")).nodeInit("v0.2.0");
        NodeProcess node = configured(4, MachineType.WORKER, NodeProcess.Options.none());
        Map<String, String> before = node.slotsAndMeta();
        String wrong = v2.file().toUri() + "@sha256:" + "0".repeat(64);

        MachineApiException refused;
        try (MachineClient client = cluster.admin(node)) {
            refused = assertThrows(MachineApiException.class, () -> client.upgrade(wrong, false, false));
        }

        assertEquals(Status.Code.FAILED_PRECONDITION, refused.code());
        assertTrue(refused.status().getDescription().contains("sha256 mismatch"), refused.status().getDescription());
        assertEquals(before, node.slotsAndMeta());
    }

    @Test
    void archiveThatIsNotAReleaseIsRefusedWithSlotsAndMetaUnchanged() throws Exception {
        Path notRelease = Files.writeString(work.resolve("not-a-release.zip"), "plain text");
        NodeProcess node = configured(5, MachineType.WORKER, NodeProcess.Options.none());
        Map<String, String> before = node.slotsAndMeta();
        String ref = notRelease.toUri() + "@sha256:" + TestReleases.sha256(Files.readAllBytes(notRelease));

        MachineApiException refused;
        try (MachineClient client = cluster.admin(node)) {
            refused = assertThrows(MachineApiException.class, () -> client.upgrade(ref, false, false));
        }

        assertTrue(refused.status().getDescription().contains("not a zip archive"), refused.status().getDescription());
        assertEquals(before, node.slotsAndMeta());
    }

    @Test
    void stagedUpgradeBootsTheNewReleaseOnlyAtTheNextReboot() throws Exception {
        TestReleases.Release v2 = new TestReleases(work.resolve("releases")).nodeInit("v0.2.0");
        NodeProcess node = configured(6, MachineType.WORKER, NodeProcess.Options.none());

        try (MachineClient client = cluster.admin(node)) {
            String ack = client.upgrade(v2.fileRef(), true, false);
            assertTrue(ack.contains("staged"), ack);
            assertEquals(RUNNING, client.version().getVersion().getRunning());
            client.reboot();
        }

        cluster.awaitVersion(node, "runs v0.2.0, confirmed", version -> version.getRunning().equals("v0.2.0")
                && !version.getTrial());
    }

    @Test
    void rollbackBootsThePreviousSlotAndRecordsIt() throws Exception {
        TestReleases.Release v2 = new TestReleases(work.resolve("releases")).nodeInit("v0.2.0");
        NodeProcess node = configured(7, MachineType.WORKER, NodeProcess.Options.none());
        try (MachineClient client = cluster.admin(node)) {
            client.upgrade(v2.fileRef(), false, false);
        }
        cluster.awaitVersion(node, "runs v0.2.0, confirmed", version -> version.getRunning().equals("v0.2.0")
                && !version.getTrial());

        try (MachineClient client = cluster.admin(node)) {
            client.rollback();
        }

        VersionInfo after = cluster.awaitVersion(node, "back on " + RUNNING, version -> version.getRunning().equals(RUNNING));
        assertEquals("rolled back from v0.2.0 to " + RUNNING + ": requested through the API", after.getLastRollback());
        assertEquals(BootSlot.B.name(), after.getActiveSlot());
    }
}
