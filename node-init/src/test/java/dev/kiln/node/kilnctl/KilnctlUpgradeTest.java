package dev.kiln.node.kilnctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.api.VersionInfo;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.KilnctlRun;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestReleases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kilnctl upgrading a real node-init to a release built from this tree, waiting for it, and rolling it back. */
class KilnctlUpgradeTest {

    private static final String NODE = "127.0.80.20";

    @TempDir
    Path dir;

    private NodeProcess node;

    private KilnctlRun kilnctl(String... args) {
        Optional<Path> kilnconfig = args[0].equals("gen") ? Optional.empty() : Optional.of(dir.resolve("kilnconfig"));
        return KilnctlRun.of(kilnconfig, args);
    }

    @BeforeEach
    void configuredWorker() throws Exception {
        KilnctlRun gen = kilnctl("gen", "config", "cli", "https://" + NODE + ":6443", "--output", dir.toString());
        assertEquals(0, gen.exit(), gen.err());
        node = NodeProcess.start(dir.resolve("node"), NODE, "upgrade-1");
        String fingerprint = node.awaitFingerprint(Duration.ofSeconds(30));
        KilnctlRun apply = kilnctl("apply-config", "--insecure", "--nodes", NODE, "--cert-fingerprint", fingerprint,
                "-f", dir.resolve("worker.yaml").toString());
        assertEquals(0, apply.exit(), apply.err());
        Await.condition("node configured", Duration.ofSeconds(60),
                () -> kilnctl("version", "-n", NODE).out().contains("slot"));
    }

    @AfterEach
    void stopNode() throws Exception {
        node.close();
    }

    @Test
    void upgradeWithWaitReportsEachStepThenRollbackRestoresThePreviousVersion() throws Exception {
        TestReleases.Release v2 = new TestReleases(dir.resolve("releases")).nodeInit("v0.2.0");

        KilnctlRun upgrade = kilnctl("upgrade", "--image", v2.fileRef(), "--wait", "-n", NODE);

        assertEquals(0, upgrade.exit(), upgrade.out() + upgrade.err());
        assertTrue(upgrade.out().contains("waiting for " + NODE + ":50000 to boot v0.2.0 ... OK"), upgrade.out());
        assertTrue(upgrade.out().contains("waiting for " + NODE + ":50000 to confirm v0.2.0 healthy ... OK"),
                upgrade.out());

        KilnctlRun rollback = kilnctl("rollback", "-n", NODE);

        assertEquals(0, rollback.exit(), rollback.err());
        Await.condition("node back on " + VersionInfo.RUNNING, Duration.ofSeconds(60),
                () -> kilnctl("version", "-n", NODE).out().contains("rolled back from v0.2.0 to "
                        + VersionInfo.RUNNING + ": requested through the API"));
    }
}
