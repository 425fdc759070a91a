package dev.kiln.capi.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.backupstore.BackupManifest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;


class BackupKeyAndRetentionTest {

    private static final String FOLDER = BackupKey.folder("kiln", "default", "demo");

    private static BackupKey at(String time) {
        return BackupKey.of(FOLDER, Instant.parse(time), "8e9e05c52164694d");
    }

    @Test
    void aKeyNamesPrefixNamespaceClusterTimeAndEtcdClusterId() {
        assertEquals("kiln/default/demo/", FOLDER);
        assertEquals("default/demo/", BackupKey.folder("", "default", "demo"));
        assertEquals("kiln/default/demo/20261204T235501.734Z-8e9e05c52164694d.db", at("2026-12-04T23:55:01.7349Z").key());
    }

    @Test
    void aKeyReadsBackAsWritten() {
        BackupKey key = at("2026-12-04T23:55:01Z");
        assertEquals(Optional.of(key), BackupKey.parse(FOLDER, key.key()));
    }

    @Test
    void onlyKilnsOwnKeysDirectlyInTheFolderAreRecognised() {
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, FOLDER + "notes.txt"));
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, FOLDER + "20261204T235501.000Z-8e9e05c52164694d.db.json"));
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, FOLDER + "sub/20261204T235501.000Z-8e9e.db"));
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, "kiln/default/other/20261204T235501.000Z-8e9e.db"));
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, FOLDER + "20261399T235501.000Z-8e9e.db"));
    }

    private static List<String> complete(String... times) {
        List<String> keys = new ArrayList<>();
        for (String time : times) {
            keys.add(at(time).key());
            keys.add(BackupManifest.keyOf(at(time).key()));
        }
        return keys;
    }

    @Test
    void retentionKeepsTheNewestCompleteBackupsAndDeletesOlderSnapshotsWithTheirManifests() {
        List<String> keys = complete("2026-12-04T01:00:00Z", "2026-12-04T03:00:00Z", "2026-12-04T02:00:00Z",
                "2026-12-04T04:00:00Z");
        assertEquals(List.of(at("2026-12-04T01:00:00Z").key(), BackupManifest.keyOf(at("2026-12-04T01:00:00Z").key()),
                at("2026-12-04T02:00:00Z").key(), BackupManifest.keyOf(at("2026-12-04T02:00:00Z").key())),
                BackupRetention.toDelete(FOLDER, keys, 2));
        assertEquals(List.of(), BackupRetention.toDelete(FOLDER, keys, 4));
        assertEquals(List.of(), BackupRetention.toDelete(FOLDER, keys, 9));
    }

    @Test
    void aSnapshotWithoutManifestOrAManifestWithoutSnapshotIsDeletedAndNotCounted() {
        List<String> keys = new ArrayList<>(complete("2026-12-04T04:00:00Z"));
        keys.add(at("2026-12-04T05:00:00Z").key());
        keys.add(BackupManifest.keyOf(at("2026-12-04T00:00:00Z").key()));
        assertEquals(List.of(BackupManifest.keyOf(at("2026-12-04T00:00:00Z").key()), at("2026-12-04T05:00:00Z").key()),
                BackupRetention.toDelete(FOLDER, keys, 1));
    }

    @Test
    void keysNotOfKilnsShapeAreNeverDeleted() {
        List<String> keys = new ArrayList<>(complete("2026-12-04T04:00:00Z", "2026-12-04T03:00:00Z"));
        keys.add(FOLDER + "README.txt");
        keys.add(FOLDER + "manual.json");
        keys.add(FOLDER + "keep/20261204T010000.000Z-8e9e05c52164694d.db");
        assertEquals(List.of(at("2026-12-04T03:00:00Z").key(), BackupManifest.keyOf(at("2026-12-04T03:00:00Z").key())),
                BackupRetention.toDelete(FOLDER, keys, 1));
    }

    @Test
    void aRetentionBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BackupRetention.toDelete(FOLDER, List.of(), 0));
    }
}
