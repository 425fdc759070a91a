package dev.kiln.node.pid1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.client.RetryPolicy;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.node.NodeInit;
import dev.kiln.node.testing.Await;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * node-init as PID 1 of its own PID namespace (unshare, as root of a new user namespace): the real process, as the
 * boot image runs it after Init's execve, minus the machine. reboot(2) from a PID namespace's init ends that init
 * with SIGHUP (power-off: SIGINT) instead of restarting the host, which is what the tests observe.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeInitAsPid1Test {

    private static final NodeAddress ADDRESS = new NodeAddress("127.0.98.1", 50000);
    private static final int KILLED_BY_SIGHUP = 128 + 1;

    private Process unshare;
    private Path console;
    private Path work;

    @BeforeAll
    void startNodeInitAsPid1(@TempDir Path work) throws Exception {
        this.work = work;
        console = work.resolve("console.log");
        unshare = startAsPid1(Files.createDirectories(work.resolve("root")), ADDRESS, List.of(), console);
        Await.until(Duration.ofSeconds(60), () -> text(console).contains("maintenance mode: machine API"),
                () -> "node-init in its PID namespace never served its API:\n" + text(console));
    }

    @AfterAll
    void stop() throws Exception {
        if (unshare != null && unshare.isAlive()) {
            unshare.descendants().forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Process startAsPid1(Path root, NodeAddress address, List<String> jvmOptions, Path console)
            throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--pid", "--fork",
                "--mount-proc", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xms8m", "-Xmx48m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), NodeInit.class.getName(),
                "--root", root.toString(), "--listen", address.host() + ":" + address.port(), "--hostname", "pid1"));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile())).start();
    }

    private String consoleText() {
        return text(console);
    }

    private static String text(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(1)
    void versionSaysTheAnsweringNodeInitIsPid1() throws Exception {
        Version version = Await.until("Version from node-init as PID 1", Duration.ofSeconds(60), () -> {
            try (MachineClient client = MachineClient.connect(ADDRESS, ClientCredentials.Maintenance.unpinned(),
                    Duration.ofSeconds(20), RetryPolicy.none())) {
                return Optional.of(client.version());
            }
        });

        assertEquals(1, version.getVersion().getPid(), version.toString());
        assertEquals("kiln-init", version.getPlatform().getName(), version.toString());
    }

    @Test
    @Order(2)
    void anOrphanReParentedToNodeInitIsReapedOnceItEnds() throws Exception {
        ProcessHandle nodeInit = unshare.children().findFirst().orElseThrow();
        // nsenter's child joins the namespace; the sleep it leaves behind is re-parented to the namespace's PID 1.
        Process orphanMaker = new ProcessBuilder("nsenter", "-t", String.valueOf(nodeInit.pid()), "-U", "-p",
                "--preserve-credentials", "--", "sh", "-c", "sleep 2 & exit 0").inheritIO().start();
        assertEquals(0, orphanMaker.waitFor(), "nsenter");
        long orphan = Await.until("the orphaned sleep as a child of node-init", Duration.ofSeconds(30),
                () -> nodeInit.children().filter(child -> comm(child.pid()).equals("sleep"))
                        .map(ProcessHandle::pid).findFirst());

        Await.until(Duration.ofSeconds(60), () -> !Files.exists(Path.of("/proc", String.valueOf(orphan))),
                () -> "orphan " + orphan + " reaped; its state: " + comm(orphan) + " " + state(orphan));
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "comm")).strip();
        } catch (java.io.IOException gone) {
            return "";
        }
    }

    private static String state(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
                    .filter(line -> line.startsWith("State:")).findFirst().orElse("");
        } catch (java.io.IOException gone) {
            return "gone";
        }
    }

    @Test
    @Order(3)
    void aSignalThatEndsTheJvmRebootsThroughRebootInsteadOfExiting() throws Exception {
        ProcessHandle nodeInit = unshare.children().findFirst().orElseThrow();

        new ProcessBuilder("kill", "-TERM", String.valueOf(nodeInit.pid())).inheritIO().start().waitFor();

        assertTrue(unshare.waitFor(60, TimeUnit.SECONDS), "node-init as PID 1 did not end:\n" + consoleText());
        assertEquals(KILLED_BY_SIGHUP, unshare.exitValue(), consoleText());
        assertTrue(consoleText().contains("init: rebooting"), consoleText());
    }

    @Test
    @Order(4)
    void aTrialNotConfirmedByItsDeadlineRebootsTheMachine() throws Exception {
        DiskLayout disk = DiskLayout.format(Files.createDirectories(work.resolve("trial-root")));
        long now = System.currentTimeMillis();
        Meta.fresh().withInstalled(BootSlot.A, "v2").activateForTrial(BootSlot.A, new Meta.Trial("v1", now, 0, 0))
                .save(disk);
        Path trialConsole = work.resolve("trial-console.log");

        Process trial = startAsPid1(disk.root(), new NodeAddress("127.0.98.2", 50000),
                List.of("-D" + AsPid1.TRIAL_DEADLINE_PROPERTY + "=" + (now + 5_000)), trialConsole);

        try {
            assertTrue(trial.waitFor(120, TimeUnit.SECONDS), "no reboot at the deadline:\n" + text(trialConsole));
            assertEquals(KILLED_BY_SIGHUP, trial.exitValue(), text(trialConsole));
            assertTrue(text(trialConsole).contains("trial not confirmed healthy by its deadline"), text(trialConsole));
        } finally {
            trial.descendants().forEach(ProcessHandle::destroyForcibly);
            trial.destroyForcibly();
        }
    }
}
