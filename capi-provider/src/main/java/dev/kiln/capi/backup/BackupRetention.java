package dev.kiln.capi.backup;

import java.util.Comparator;
import java.util.List;

/** Which of a cluster's backups to delete so that the newest {@code retention} remain. */
public final class BackupRetention {

    private BackupRetention() {
    }

    public static List<BackupKey> toDelete(List<BackupKey> stored, int retention) {
        if (retention < 1) {
            throw new IllegalArgumentException("retention must be at least 1, got " + retention);
        }
        return stored.stream()
                .sorted(Comparator.comparing(BackupKey::taken).thenComparing(BackupKey::key).reversed())
                .skip(retention)
                .toList();
    }
}
