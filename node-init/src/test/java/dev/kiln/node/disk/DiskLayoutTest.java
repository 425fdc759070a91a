package dev.kiln.node.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskLayoutTest {

    @TempDir
    Path root;

    @Test
    void formatCreatesPartitionsAndWellKnownDirectories() throws IOException {
        DiskLayout disk = DiskLayout.format(root);

        for (String label : new String[] {"STATE", "EPHEMERAL", "BOOT-A", "BOOT-B", "META"}) {
            assertTrue(Files.isDirectory(root.resolve(label)), label);
        }
        assertTrue(Files.isDirectory(root.resolve("STATE/identity")));
        assertTrue(Files.isDirectory(root.resolve("EPHEMERAL/etcd")));
        assertTrue(Files.isDirectory(root.resolve("EPHEMERAL/logs")));
        assertEquals(root.resolve("STATE/config.yaml"), disk.configFile());
        assertEquals(root.resolve("STATE/config.previous.yaml"), disk.previousConfigFile());
        assertEquals(root.resolve("STATE/config.staged.yaml"), disk.stagedConfigFile());
        assertEquals(root.resolve("META/meta.yaml"), disk.metaFile());
    }

    @Test
    void formatIsIdempotentAndKeepsContent() throws IOException {
        DiskLayout disk = DiskLayout.format(root);
        AtomicFiles.writeString(disk.configFile(), "machine: {}\n");
        Files.writeString(disk.etcdDataDir().resolve("member"), "data");

        DiskLayout again = DiskLayout.format(root);

        assertEquals(disk, again);
        assertEquals("machine: {}\n", Files.readString(disk.configFile()));
        assertEquals("data", Files.readString(disk.etcdDataDir().resolve("member")));
    }

    @Test
    void wipeEmptiesOnlyThatPartition() throws IOException {
        DiskLayout disk = DiskLayout.format(root);
        AtomicFiles.writeString(disk.configFile(), "machine: {}\n");
        Files.createDirectories(disk.etcdDataDir().resolve("member/snap"));
        Files.writeString(disk.etcdDataDir().resolve("member/snap/db"), "db");
        AtomicFiles.writeString(disk.metaFile(), "active-slot: A\n");

        disk.wipe(Partition.EPHEMERAL);

        assertTrue(Files.isDirectory(disk.ephemeral()));
        try (Stream<Path> left = Files.list(disk.ephemeral())) {
            assertEquals(0, left.count());
        }
        assertTrue(Files.exists(disk.configFile()));
        assertTrue(Files.exists(disk.metaFile()));
        assertTrue(Files.isDirectory(disk.boot(BootSlot.A)));
    }

    @Test
    void wipeDoesNotFollowSymlinksOutOfThePartition() throws IOException {
        DiskLayout disk = DiskLayout.format(root);
        AtomicFiles.writeString(disk.configFile(), "keep");
        Files.createSymbolicLink(disk.ephemeral().resolve("link-to-state"), disk.state());

        disk.wipe(Partition.EPHEMERAL);

        assertFalse(Files.exists(disk.ephemeral().resolve("link-to-state"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(disk.configFile()));
    }

    @Test
    void partitionsAreFoundByLabel() {
        assertEquals(Optional.of(Partition.BOOT_A), Partition.byLabel("BOOT-A"));
        assertEquals(Optional.of(Partition.EPHEMERAL), Partition.byLabel("EPHEMERAL"));
        assertEquals(Optional.empty(), Partition.byLabel("BOOT_A"));
        for (Partition p : Partition.values()) {
            assertEquals(Optional.of(p), Partition.byLabel(p.label()));
        }
    }
}
