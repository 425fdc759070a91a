package dev.kiln.node.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.VersionInfo;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import dev.kiln.node.install.DownloadTrust;
import dev.kiln.node.install.ImageRef;
import dev.kiln.node.install.ReleaseDownload;
import dev.kiln.node.install.Upgrader;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import dev.kiln.node.testing.TestReleases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL (node-init, its bootloader and its children at once) at each step of an upgrade: the disk
 * is left as that step leaves it, and the node must boot a good slot from there.
 */
class UpgradeCrashTest {

    private static final String RUNNING = dev.kiln.node.api.VersionInfo.RUNNING;
    private static final Duration WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path work;

    private TestCluster cluster;
    private NodeProcess node;
    private DiskLayout disk;
    private Upgrader upgrader;
    private ImageRef v2;

    @BeforeEach
    void configuredWorkerOnV1(org.junit.jupiter.api.TestInfo test) throws Exception {
        int index = 10 + List.of("crashAfterDownloadBootsThePreviousRelease", "crashAfterSlotWriteBootsThePreviousRelease",
                "crashAfterMetaSwitchBootsTheNewReleaseAndConfirmsIt", "crashDuringTrialBootStillConfirmsTheNewRelease")
                .indexOf(test.getTestMethod().orElseThrow().getName());
        cluster = new TestCluster("127.0.80", work.resolve("cluster"));
        node = cluster.startNode(index);
        cluster.configure(node, cluster.config(MachineType.WORKER, List.of()));
        disk = new DiskLayout(node.root());
        upgrader = new Upgrader(disk, new ReleaseDownload(DownloadTrust.of(Optional.empty()),
                ReleaseDownload.DEFAULT_MAX_BYTES));
        v2 = ImageRef.parse(new TestReleases(work.resolve("releases")).nodeInit("v0.2.0").fileRef());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private NodeProcess crashAndRestart() throws Exception {
        node.killWithChildren();
        NodeProcess restarted = node.restart();
        cluster.track(restarted);
        return restarted;
    }

    @Test
    void crashAfterDownloadBootsThePreviousRelease() throws Exception {
        node.killWithChildren();
        upgrader.prepare(v2);
        NodeProcess restarted = node.restart();
        cluster.track(restarted);

        VersionInfo version = cluster.awaitVersion(restarted, "serves", v -> true);

        assertEquals(RUNNING, version.getRunning());
        assertEquals(BootSlot.B.name(), version.getActiveSlot());
        try (var staged = java.nio.file.Files.list(Upgrader.stagingDir(disk))) {
            assertEquals(0, staged.count(), "the interrupted download is cleared at boot");
        }
    }

    @Test
    void crashAfterSlotWriteBootsThePreviousRelease() throws Exception {
        node.killWithChildren();
        Meta before = Meta.load(disk);
        upgrader.install(upgrader.prepare(v2), RUNNING, 0, 0);
        // The slot is written, META not yet switched: the state the first META write of install leaves.
        before.withoutInstalled(before.activeSlot().other()).save(disk);
        NodeProcess restarted = node.restart();
        cluster.track(restarted);

        VersionInfo version = cluster.awaitVersion(restarted, "serves", v -> true);

        assertEquals(RUNNING, version.getRunning());
        assertEquals(before.activeSlot().name(), version.getActiveSlot());
    }

    @Test
    void crashAfterMetaSwitchBootsTheNewReleaseAndConfirmsIt() throws Exception {
        node.killWithChildren();
        upgrader.install(upgrader.prepare(v2), RUNNING, 0, 0);
        NodeProcess restarted = node.restart();
        cluster.track(restarted);

        VersionInfo version = cluster.awaitVersion(restarted, "runs v0.2.0, confirmed",
                v -> v.getRunning().equals("v0.2.0") && !v.getTrial());

        assertEquals(BootSlot.A.name(), version.getActiveSlot());
    }

    @Test
    void crashDuringTrialBootStillConfirmsTheNewRelease() throws Exception {
        node.killWithChildren();
        upgrader.install(upgrader.prepare(v2), RUNNING, 0, 0);
        NodeProcess trial = node.restart();
        cluster.track(trial);
        Await.condition("the bootloader launches the trial slot", WITHIN,
                () -> trial.consoleText().contains("bootloader: booting slot A on trial"));
        node = trial;

        NodeProcess restarted = crashAndRestart();
        VersionInfo version = cluster.awaitVersion(restarted, "runs v0.2.0, confirmed",
                v -> v.getRunning().equals("v0.2.0") && !v.getTrial());

        assertEquals("", version.getLastRollback());
        assertTrue(Meta.load(disk).trialPending().isEmpty());
    }
}
