package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The etcd backup a new control plane is bootstrapped from, instead of an empty etcd: read once, when the cluster's
 * etcd is bootstrapped, under the same bootstrap record.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.backupName) != has(self.destination)",
        message = "recoverFrom: set exactly one of backupName and destination")
@ValidationRule(value = "!has(self.destination) || has(self.key)",
        message = "recoverFrom.key: required with recoverFrom.destination")
public class RecoverFrom {
    /** A KilnEtcdBackup in this namespace: its destination and credentials, and by default its last backup. */
    private String backupName;
    /** An S3 location given directly, e.g. a bucket another management cluster wrote. */
    private BackupDestination destination;
    /** The snapshot's key; with backupName it defaults to that backup's status.lastBackup. */
    private String key;
    /** The snapshot's expected SHA-256; by default the one in its manifest ({@code <key>.json}). */
    @Pattern("^[0-9a-f]{64}$") private String sha256;

    public String getBackupName() { return backupName; }
    public void setBackupName(String backupName) { this.backupName = backupName; }
    public BackupDestination getDestination() { return destination; }
    public void setDestination(BackupDestination destination) { this.destination = destination; }
    public String getKey() { return key; }
    public void setKey(String key) { this.key = key; }
    public String getSha256() { return sha256; }
    public void setSha256(String sha256) { this.sha256 = sha256; }
}
