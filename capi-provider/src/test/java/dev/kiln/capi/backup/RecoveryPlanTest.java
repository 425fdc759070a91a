package dev.kiln.capi.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.controlplane.v1alpha1.BackupDestination;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.RecoverFrom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecoveryPlanTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private static BackupDestination destination() {
        BackupDestination destination = new BackupDestination();
        destination.setEndpoint("https://s3.example.com");
        destination.setBucket("backups");
        BackupDestination.SecretRef ref = new BackupDestination.SecretRef();
        ref.setName("s3");
        destination.setCredentialsSecretRef(ref);
        return destination;
    }

    private static StoredBackup stored(String key, String sha, String clusterId) {
        StoredBackup backup = new StoredBackup();
        backup.setKey(key);
        backup.setSha256(sha);
        backup.setEtcdClusterId(clusterId);
        return backup;
    }

    private static KilnEtcdBackup backup(StoredBackup last, StoredBackup... kept) {
        KilnEtcdBackupSpec spec = new KilnEtcdBackupSpec();
        spec.setClusterName("demo");
        spec.setSchedule("@daily");
        spec.setDestination(destination());
        KilnEtcdBackup backup = new KilnEtcdBackup();
        backup.setSpec(spec);
        KilnEtcdBackupStatus status = new KilnEtcdBackupStatus();
        status.setLastBackup(last);
        status.setBackups(List.of(kept));
        backup.setStatus(status);
        return backup;
    }

    private static RecoverFrom fromBackup(String key, String sha) {
        RecoverFrom from = new RecoverFrom();
        from.setBackupName("nightly");
        from.setKey(key);
        from.setSha256(sha);
        return from;
    }

    @Test
    void aBackupNameRestoresItsLastBackupCheckedAgainstItsRecord() {
        StoredBackup last = stored("k2", SHA_A, "c1");
        RecoveryPlan.Source source = assertInstanceOf(RecoveryPlan.Source.class,
                RecoveryPlan.of(fromBackup(null, null), Optional.of(backup(last, last))));
        assertEquals("k2", source.key());
        assertEquals(Optional.of(SHA_A), source.sha256());
        assertEquals(Optional.of("c1"), source.etcdClusterId());
        assertEquals("s3", source.credentialsSecret());
    }

    @Test
    void aKeyNamedWithTheBackupTakesTheRecordOfThatKey() {
        RecoveryPlan.Source source = assertInstanceOf(RecoveryPlan.Source.class, RecoveryPlan.of(
                fromBackup("k1", null), Optional.of(backup(stored("k2", SHA_A, "c1"), stored("k1", SHA_B, "c0")))));
        assertEquals(Optional.of(SHA_B), source.sha256());
        assertEquals(Optional.of("c0"), source.etcdClusterId());
    }

    @Test
    void aShaThatContradictsTheBackupRecordIsRefused() {
        StoredBackup last = stored("k2", SHA_A, "c1");
        RecoveryPlan.Invalid invalid = assertInstanceOf(RecoveryPlan.Invalid.class,
                RecoveryPlan.of(fromBackup(null, SHA_B), Optional.of(backup(last, last))));
        assertTrue(invalid.reason().startsWith("spec.recoverFrom.sha256: "), invalid.reason());
    }

    @Test
    void aBackupThatDoesNotExistOrHasNoBackupYetIsRefused() {
        assertTrue(assertInstanceOf(RecoveryPlan.Invalid.class, RecoveryPlan.of(fromBackup(null, null),
                Optional.empty())).reason().contains("does not exist"));
        assertTrue(assertInstanceOf(RecoveryPlan.Invalid.class, RecoveryPlan.of(fromBackup(null, null),
                Optional.of(backup(null)))).reason().contains("has taken no backup yet"));
    }

    @Test
    void aDestinationNeedsAKeyAndTakesItsShaFromTheRequestOnly() {
        RecoverFrom from = new RecoverFrom();
        from.setDestination(destination());
        assertTrue(assertInstanceOf(RecoveryPlan.Invalid.class, RecoveryPlan.of(from, Optional.empty())).reason()
                .contains("spec.recoverFrom.key: required"));
        from.setKey("kiln/default/demo/x.db");
        RecoveryPlan.Source source = assertInstanceOf(RecoveryPlan.Source.class, RecoveryPlan.of(from,
                Optional.empty()));
        assertEquals(Optional.empty(), source.sha256(), "from the manifest, when the restore reads it");
    }

    @Test
    void bothABackupAndADestinationAreRefused() {
        RecoverFrom from = fromBackup(null, null);
        from.setDestination(destination());
        assertTrue(assertInstanceOf(RecoveryPlan.Invalid.class, RecoveryPlan.of(from, Optional.empty())).reason()
                .contains("exactly one"));
    }

    @Test
    void aDestinationWithProblemsNamesEachUnderRecoverFrom() {
        RecoverFrom from = new RecoverFrom();
        from.setDestination(new BackupDestination());
        from.setKey("k");
        String reason = assertInstanceOf(RecoveryPlan.Invalid.class, RecoveryPlan.of(from, Optional.empty())).reason();
        assertTrue(reason.contains("spec.recoverFrom.destination.endpoint: required"), reason);
        assertTrue(reason.contains("spec.recoverFrom.destination.bucket: required"), reason);
    }
}
