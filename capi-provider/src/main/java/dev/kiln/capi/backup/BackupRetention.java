package dev.kiln.capi.backup;

import dev.kiln.backupstore.BackupManifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What to delete from a cluster's backup folder after a backup: complete backups (snapshot and manifest) beyond the
 * newest {@code retention}, and snapshots or manifests left alone by a writer that crashed between the two. Only keys
 * of Kiln's shape ({@link BackupKey}) are ever touched.
 */
public final class BackupRetention {

    private BackupRetention() {
    }

    public static List<String> toDelete(String folder, List<String> keys, int retention) {
        if (retention < 1) {
            throw new IllegalArgumentException("retention must be at least 1, got " + retention);
        }
        Set<String> present = Set.copyOf(keys);
        List<BackupKey> complete = new ArrayList<>();
        List<String> deletions = new ArrayList<>();
        for (String key : keys) {
            Optional<BackupKey> snapshot = BackupKey.parse(folder, key);
            if (snapshot.isPresent()) {
                if (present.contains(BackupManifest.keyOf(key))) {
                    complete.add(snapshot.get());
                } else {
                    deletions.add(key);
                }
            } else if (key.endsWith(".json") && BackupKey.parse(folder, key.substring(0, key.length() - 5)).isPresent()
                    && !present.contains(key.substring(0, key.length() - 5))) {
                deletions.add(key);
            }
        }
        complete.stream()
                .sorted(Comparator.comparing(BackupKey::taken).thenComparing(BackupKey::key).reversed())
                .skip(retention)
                .forEach(old -> {
                    deletions.add(old.key());
                    deletions.add(BackupManifest.keyOf(old.key()));
                });
        return deletions.stream().sorted().toList();
    }
}
