package dev.kiln.node.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaTest {

    @TempDir
    Path root;

    @Test
    void metaRoundTripsThroughTheMetaPartition() throws IOException {
        DiskLayout disk = DiskLayout.format(root);
        Meta meta = Meta.fresh()
                .withInstalled(BootSlot.A, "v0.1.0")
                .withInstalled(BootSlot.B, "v0.2.0-beta.1")
                .activate(BootSlot.B)
                .withBootAttempt()
                .withBootAttempt();

        meta.save(disk);
        Meta loaded = Meta.load(disk);

        assertEquals(meta, loaded);
        assertEquals(BootSlot.B, loaded.activeSlot());
        assertEquals(2, loaded.bootAttempts());
        assertEquals(Optional.of("v0.2.0-beta.1"), loaded.installedVersion());
        assertEquals(Optional.of("v0.1.0"), loaded.installedVersion(BootSlot.A));
    }

    @Test
    void trialAndLastRollbackRoundTripThroughTheMetaPartition() throws IOException {
        DiskLayout disk = DiskLayout.format(root);
        Meta meta = Meta.fresh().withInstalled(BootSlot.A, "v1").withInstalled(BootSlot.B, "v2")
                .activateForTrial(BootSlot.B, new Meta.Trial("v1", 1234, 0xfeedbeefcafef00dL, 42))
                .withLastRollback("rolled back from v3 to v2: not confirmed healthy\nwithin 60s");

        meta.save(disk);

        assertEquals(meta, Meta.load(disk));
        assertEquals(Optional.of("rolled back from v3 to v2: not confirmed healthy within 60s"),
                Meta.load(disk).lastRollbackMessage());
    }

    @Test
    void missingMetaFileMeansAFreshNode() throws IOException {
        Meta meta = Meta.load(DiskLayout.format(root));

        assertEquals(Meta.fresh(), meta);
        assertEquals(Optional.empty(), meta.installedVersion());
    }

    @Test
    void malformedMetaIsAnError() throws IOException {
        DiskLayout disk = DiskLayout.format(root);
        Files.writeString(disk.metaFile(), "active-slot: C\n");

        assertThrows(IOException.class, () -> Meta.load(disk));
    }

    @Test
    void otherSlotFlips() {
        assertEquals(BootSlot.B, BootSlot.A.other());
        assertEquals(BootSlot.A, BootSlot.B.other());
        assertEquals(Partition.BOOT_B, BootSlot.B.partition());
    }
}
