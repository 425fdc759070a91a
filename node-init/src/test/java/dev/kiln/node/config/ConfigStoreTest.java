package dev.kiln.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.disk.DiskLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {

    private static final String FIRST = "version: v1alpha1\nmachine:\n  type: worker\n";
    private static final String SECOND = "version: v1alpha1\nmachine:\n  type: controlplane\n";
    private static final String THIRD = "version: v1alpha1\ndebug: true\n";

    @TempDir
    Path root;
    private DiskLayout disk;
    private ConfigStore store;

    @BeforeEach
    void freshDisk() throws IOException {
        disk = DiskLayout.format(root);
        store = new ConfigStore(disk);
    }

    @Test
    void aFreshDiskHasNoConfigAtAll() throws IOException {
        assertEquals(Optional.empty(), store.active());
        assertEquals(Optional.empty(), store.previous());
        assertEquals(Optional.empty(), store.staged());
        assertEquals(Optional.empty(), store.trial());
    }

    @Test
    void theFirstStoredConfigHasNoPrevious() throws IOException {
        store.store(FIRST);

        assertEquals(Optional.of(FIRST), store.active());
        assertEquals(Optional.empty(), store.previous());
        assertEquals(FIRST, Files.readString(disk.configFile()));
    }

    @Test
    void storingKeepsTheReplacedConfigAsPrevious() throws IOException {
        store.store(FIRST);
        store.store(SECOND);

        assertEquals(Optional.of(SECOND), store.active());
        assertEquals(Optional.of(FIRST), store.previous());
    }

    @Test
    void onlyTheLastReplacedConfigIsKept() throws IOException {
        store.store(FIRST);
        store.store(SECOND);
        store.store(THIRD);

        assertEquals(Optional.of(THIRD), store.active());
        assertEquals(Optional.of(SECOND), store.previous());
    }

    @Test
    void stagingLeavesTheActiveConfigAlone() throws IOException {
        store.store(FIRST);

        store.stage(SECOND);

        assertEquals(Optional.of(FIRST), store.active());
        assertEquals(Optional.of(SECOND), store.staged());
        assertEquals(SECOND, Files.readString(disk.stagedConfigFile()));
    }

    @Test
    void promotingMakesTheStagedConfigActiveAndKeepsTheOldOneAsPrevious() throws IOException {
        store.store(FIRST);
        store.stage(SECOND);

        assertTrue(store.promoteStaged());

        assertEquals(Optional.of(SECOND), store.active());
        assertEquals(Optional.of(FIRST), store.previous());
        assertEquals(Optional.empty(), store.staged());
        assertFalse(Files.exists(disk.stagedConfigFile()));
    }

    @Test
    void promotingWithNothingStagedChangesNothing() throws IOException {
        store.store(FIRST);

        assertFalse(store.promoteStaged());

        assertEquals(Optional.of(FIRST), store.active());
        assertEquals(Optional.empty(), store.previous());
    }

    @Test
    void aTrialRoundTripsItsDocumentAndRollbackMoment() throws IOException {
        Instant rollbackAt = Instant.ofEpochMilli(1_700_000_123_456L);

        store.startTrial(SECOND, rollbackAt);

        assertEquals(Optional.of(new ConfigStore.Trial(SECOND, rollbackAt)), store.trial());
    }

    @Test
    void aTrialLeavesTheActiveConfigAlone() throws IOException {
        store.store(FIRST);

        store.startTrial(SECOND, Instant.now());

        assertEquals(Optional.of(FIRST), store.active());
        assertEquals(FIRST, Files.readString(disk.configFile()));
    }

    @Test
    void endingATrialRemovesIt() throws IOException {
        store.startTrial(SECOND, Instant.now());

        store.endTrial();

        assertEquals(Optional.empty(), store.trial());
        assertFalse(Files.exists(disk.state().resolve("config.try.yaml")));
    }

    @Test
    void endingWithNoTrialIsHarmless() throws IOException {
        store.endTrial();

        assertEquals(Optional.empty(), store.trial());
    }
}
