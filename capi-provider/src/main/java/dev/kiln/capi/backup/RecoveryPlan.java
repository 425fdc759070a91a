package dev.kiln.capi.backup;

import dev.kiln.backupstore.S3Destination;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.RecoverFrom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A KilnControlPlane's {@code spec.recoverFrom}, resolved: which object to restore and what it must be (its SHA-256
 * and etcd cluster ID, from the request or from the backup's record). Pure; {@link SnapshotRestore} acts on it.
 */
public sealed interface RecoveryPlan {

    record Source(S3Destination destination, String credentialsSecret, String key, Optional<String> sha256,
            Optional<String> etcdClusterId) implements RecoveryPlan {}

    record Invalid(String reason) implements RecoveryPlan {}

    /** @param backup the KilnEtcdBackup {@code from.backupName} names, if it exists */
    static RecoveryPlan of(RecoverFrom from, Optional<KilnEtcdBackup> backup) {
        Optional<String> sha256 = Optional.ofNullable(from.getSha256()).filter(s -> !s.isBlank());
        if (from.getBackupName() != null && from.getDestination() != null) {
            return new Invalid("spec.recoverFrom: set exactly one of backupName and destination");
        }
        if (from.getDestination() != null) {
            List<String> problems = new ArrayList<>();
            BackupPlan.Destination destination = BackupPlan.destination("spec.recoverFrom.destination",
                    from.getDestination(), problems);
            if (BackupPlan.blank(from.getKey())) {
                problems.add("spec.recoverFrom.key: required with spec.recoverFrom.destination");
            }
            return problems.isEmpty() ? new Source(destination.s3(), destination.credentialsSecret(), from.getKey(),
                    sha256, Optional.empty()) : new Invalid(String.join("; ", problems));
        }
        if (BackupPlan.blank(from.getBackupName())) {
            return new Invalid("spec.recoverFrom: set backupName or destination");
        }
        if (backup.isEmpty()) {
            return new Invalid("spec.recoverFrom.backupName: KilnEtcdBackup " + from.getBackupName()
                    + " does not exist in this namespace");
        }
        BackupPlan plan = BackupPlan.of(backup.get().getSpec());
        if (plan instanceof BackupPlan.Invalid invalid) {
            return new Invalid("spec.recoverFrom.backupName: KilnEtcdBackup " + from.getBackupName()
                    + " has an invalid spec: " + String.join("; ", invalid.problems()));
        }
        BackupPlan.Valid valid = (BackupPlan.Valid) plan;
        List<StoredBackup> known = backup.get().getStatus() == null || backup.get().getStatus().getBackups() == null
                ? List.of() : backup.get().getStatus().getBackups();
        Optional<StoredBackup> chosen = from.getKey() != null
                ? known.stream().filter(b -> from.getKey().equals(b.getKey())).findFirst()
                : Optional.ofNullable(backup.get().getStatus()).map(s -> s.getLastBackup());
        String key = from.getKey() != null ? from.getKey() : chosen.map(StoredBackup::getKey).orElse(null);
        if (key == null) {
            return new Invalid("spec.recoverFrom.backupName: KilnEtcdBackup " + from.getBackupName()
                    + " has taken no backup yet; name one with spec.recoverFrom.key");
        }
        Optional<String> recordedSha = chosen.map(StoredBackup::getSha256);
        if (sha256.isPresent() && recordedSha.isPresent() && !sha256.get().equals(recordedSha.get())) {
            return new Invalid("spec.recoverFrom.sha256: " + sha256.get() + " differs from " + recordedSha.get()
                    + ", the SHA-256 KilnEtcdBackup " + from.getBackupName() + " recorded for " + key);
        }
        return new Source(valid.destination(), valid.credentialsSecret(), key, sha256.or(() -> recordedSha),
                chosen.map(StoredBackup::getEtcdClusterId));
    }
}
