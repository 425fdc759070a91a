package dev.kiln.capi.backup;

import dev.kiln.backupstore.BackupManifest;
import java.util.List;

/** What one backup attempt came to. */
public sealed interface BackupOutcome {

    record Taken(BackupManifest manifest, List<String> deleted, List<String> abortedUploads, List<BackupKey> kept)
            implements BackupOutcome {}

    /** @param reason a condition reason, e.g. CredentialsRefused; the message never holds a credential */
    record Failed(String reason, String message) implements BackupOutcome {}
}
