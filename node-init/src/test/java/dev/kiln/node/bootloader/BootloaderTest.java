package dev.kiln.node.bootloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.NodeInit;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootloaderTest {

    @TempDir
    Path root;

    private Bootloader loader(String distribution) {
        return Bootloader.parse(new String[] {"--distribution", distribution, "--trial-attempts", "2", "--",
                "--root", root.toString(), "--listen", "127.0.80.1:50000"});
    }

    private static List<String> afterJvmOptions(List<String> command) {
        return command.subList(1 + Bootloader.NODE_JVM_OPTIONS.size(), command.size());
    }

    @Test
    void slotWithAJarBootsThatJarWithTheNodeArguments() throws Exception {
        DiskLayout disk = DiskLayout.format(root);
        Files.writeString(disk.boot(BootSlot.B).resolve("node-init.jar"), "jar");

        List<String> command = loader("/dist/node-init.jar").command(Optional.of(BootSlot.B));

        assertEquals(List.of("-jar", disk.boot(BootSlot.B).resolve("node-init.jar").toString(), "--root",
                root.toString(), "--listen", "127.0.80.1:50000"), afterJvmOptions(command));
    }

    @Test
    void slotWithAClassPathBootsNodeInitFromIt() throws Exception {
        DiskLayout disk = DiskLayout.format(root);
        Files.writeString(disk.boot(BootSlot.A).resolve("CLASSES"), "/a/classes:/b.jar\n");

        List<String> command = loader("/dist/classes").command(Optional.of(BootSlot.A));

        assertEquals(List.of("-cp", "/a/classes:/b.jar", NodeInit.class.getName()),
                afterJvmOptions(command).subList(0, 3));
    }

    @Test
    void nothingInstalledBootsTheOriginalDistribution() {
        List<String> command = loader("/dist/classes:/dist/lib.jar").command(Optional.empty());

        assertEquals(List.of("-cp", "/dist/classes:/dist/lib.jar", NodeInit.class.getName()),
                afterJvmOptions(command).subList(0, 3));
    }

    @Test
    void missingDistributionIsRefusedNamingTheOption() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Bootloader.parse(new String[] {"--", "--root", "/r"}));

        assertTrue(refused.getMessage().contains("--distribution"), refused.getMessage());
    }

    @Test
    void trialLimitThatIsNotANumberIsRefusedNamingTheOption() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Bootloader.parse(new String[] {"--distribution", "/d", "--trial-attempts", "three", "--"}));

        assertEquals("--trial-attempts: not a number: 'three'", refused.getMessage());
    }

    @Test
    void prepareRecordsTheBootAttemptAndReturnsTheActiveSlotsCommand() throws Exception {
        DiskLayout disk = DiskLayout.format(root);
        Path jar = Files.writeString(disk.boot(BootSlot.B).resolve("node-init.jar"), "jar");
        Meta.fresh().withInstalled(BootSlot.B, "v2").activate(BootSlot.B).save(disk);

        Bootloader.Launch launch = loader("/dist/node-init.jar").prepare();

        assertEquals(1, Meta.load(disk).bootAttempts());
        assertEquals(List.of("-jar", jar.toString()), afterJvmOptions(launch.command()).subList(0, 2));
        assertEquals(Optional.empty(), launch.trialDeadlineMillis());
    }

    @Test
    void prepareOfASlotOnTrialStartsTheTrialAndGivesItsDeadline() throws Exception {
        DiskLayout disk = DiskLayout.format(root);
        Files.writeString(disk.boot(BootSlot.B).resolve("node-init.jar"), "jar");
        Meta.fresh().withInstalled(BootSlot.B, "v2")
                .activateForTrial(BootSlot.B, new Meta.Trial("v1", 0, 0, 0)).save(disk);

        Bootloader.Launch launch = loader("/dist/node-init.jar").prepare();

        long started = Meta.load(disk).trialPending().orElseThrow().startedAtMillis();
        assertEquals(Optional.of(started + TrialLimits.DEFAULT_TIMEOUT.toMillis()), launch.trialDeadlineMillis());
    }

    @Test
    void launchOptionsFollowTheDefaultJvmOptions() throws Exception {
        List<String> command = loader("/dist/classes").withLaunchOptions(List.of("-Djava.io.tmpdir=/run"))
                .command(Optional.empty());

        assertEquals(List.of("-Djava.io.tmpdir=/run", "-cp", "/dist/classes"), afterJvmOptions(command).subList(0, 3));
    }

    @Test
    void slotWithItsRuntimeAndClassArchiveRunsInTheSlotDirectory() throws Exception {
        DiskLayout disk = DiskLayout.format(root);
        Path slot = slotWithRuntimeAndArchives(disk, "node-init.jsa");

        Bootloader loader = loader("/dist/node-init.jar");

        assertEquals(Optional.of(slot.toAbsolutePath()), loader.directory(Optional.of(BootSlot.A)));
        assertTrue(loader.command(Optional.of(BootSlot.A)).contains("-XX:SharedArchiveFile="
                + slot.resolve("node-init.jsa").toAbsolutePath()));
    }

    @Test
    void bootWithoutAStoredConfigUsesTheMaintenanceModeArchive() throws Exception {
        DiskLayout disk = DiskLayout.format(root);
        Path slot = slotWithRuntimeAndArchives(disk, "node-init.jsa", "node-init-maintenance.jsa");

        assertTrue(loader("/dist/node-init.jar").command(Optional.of(BootSlot.A)).contains("-XX:SharedArchiveFile="
                + slot.resolve("node-init-maintenance.jsa").toAbsolutePath()));
    }

    @Test
    void bootWithAStoredConfigUsesTheWholeArchive() throws Exception {
        DiskLayout disk = DiskLayout.format(root);
        Path slot = slotWithRuntimeAndArchives(disk, "node-init.jsa", "node-init-maintenance.jsa");
        Files.createDirectories(disk.configFile().getParent());
        Files.writeString(disk.configFile(), "version: v1alpha1\n");

        assertTrue(loader("/dist/node-init.jar").command(Optional.of(BootSlot.A)).contains("-XX:SharedArchiveFile="
                + slot.resolve("node-init.jsa").toAbsolutePath()));
    }

    /** Slot A holding a jar, a class list, a runtime's launcher and the named class archives. */
    private static Path slotWithRuntimeAndArchives(DiskLayout disk, String... archives) throws Exception {
        Path slot = disk.boot(BootSlot.A);
        Files.writeString(slot.resolve("node-init.jar"), "jar");
        Files.writeString(slot.resolve("node-init.classlist"), "java/lang/Object\n");
        for (String archive : archives) {
            Files.writeString(slot.resolve(archive), "archive");
        }
        Path java = Files.createDirectories(slot.resolve("runtime/bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        assertTrue(java.toFile().setExecutable(true));
        return slot;
    }

    @Test
    void slotWithoutAClassArchiveRunsInTheBootloadersDirectory() throws Exception {
        DiskLayout disk = DiskLayout.format(root);
        Files.writeString(disk.boot(BootSlot.B).resolve("node-init.jar"), "jar");

        assertEquals(Optional.empty(), loader("/dist/node-init.jar").directory(Optional.of(BootSlot.B)));
    }

    @Test
    void relativePathsInTheNodeArgumentsAreMadeAbsolute() {
        Path cwd = Path.of("").toAbsolutePath();

        List<String> args = NodeArgs.absolute(List.of("--root", "disk", "--etcd", "bin/etcd", "--etcdctl", "etcdctl",
                "--download-ca=ca.pem", "--listen", "127.0.80.1:50000"));

        assertEquals(List.of("--root", cwd.resolve("disk").toString(), "--etcd", cwd.resolve("bin/etcd").toString(),
                "--etcdctl", "etcdctl", "--download-ca=" + cwd.resolve("ca.pem"), "--listen", "127.0.80.1:50000"),
                args);
    }
}
