package dev.kiln.capi.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
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
        assertEquals("kiln/default/demo/20261204T235501Z-8e9e05c52164694d.db", at("2026-12-04T23:55:01.734Z").key());
    }

    @Test
    void aKeyReadsBackAsWritten() {
        BackupKey key = at("2026-12-04T23:55:01Z");
        assertEquals(Optional.of(key), BackupKey.parse(FOLDER, key.key()));
    }

    @Test
    void onlyKilnsOwnKeysDirectlyInTheFolderAreRecognised() {
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, FOLDER + "notes.txt"));
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, FOLDER + "20261204T235501Z-8e9e05c52164694d.db.json"));
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, FOLDER + "sub/20261204T235501Z-8e9e.db"));
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, "kiln/default/other/20261204T235501Z-8e9e.db"));
        assertEquals(Optional.empty(), BackupKey.parse(FOLDER, FOLDER + "20261399T235501Z-8e9e.db"));
    }

    @Test
    void retentionKeepsTheNewestAndDeletesTheRest() {
        List<BackupKey> stored = List.of(at("2026-12-04T01:00:00Z"), at("2026-12-04T03:00:00Z"),
                at("2026-12-04T02:00:00Z"), at("2026-12-04T04:00:00Z"));
        assertEquals(List.of(at("2026-12-04T02:00:00Z"), at("2026-12-04T01:00:00Z")),
                BackupRetention.toDelete(stored, 2));
        assertEquals(List.of(), BackupRetention.toDelete(stored, 4));
        assertEquals(List.of(), BackupRetention.toDelete(stored, 9));
    }

    @Test
    void aRetentionBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BackupRetention.toDelete(List.of(), 0));
    }
}
