package dev.kiln.capi.backup;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.BackupFailure;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** How a pass changes a KilnEtcdBackup's status: pure, from the previous status and what the pass decided or did. */
public final class BackupStatusUpdate {

    public static final String READY = "Ready";
    public static final String STALLED = "Stalled";

    private BackupStatusUpdate() {
    }

    /** The history the schedule decision reads. */
    public static BackupDecision.History history(KilnEtcdBackupStatus status, Instant created) {
        if (status == null) {
            return new BackupDecision.History(created, Optional.empty(), Optional.empty(), 0, Optional.empty());
        }
        return new BackupDecision.History(created,
                Optional.ofNullable(status.getLastScheduledTime()).map(Instant::parse),
                Optional.ofNullable(status.getLastOnDemandRequest()),
                Objects.requireNonNullElse(status.getFailuresInARow(), 0),
                Optional.ofNullable(status.getLastFailure()).map(BackupFailure::getTime).map(Instant::parse));
    }

    public static KilnEtcdBackupStatus invalid(KilnEtcdBackupStatus previous, long generation, List<String> problems,
            Clock clock) {
        KilnEtcdBackupStatus status = start(previous, generation);
        String message = String.join("; ", problems) + "; no backup is taken until the spec is fixed";
        Conditions.set(status, new Condition(STALLED, Conditions.TRUE, "InvalidSpec", message, generation), clock);
        Conditions.set(status, new Condition(READY, Conditions.FALSE, "InvalidSpec", message, generation), clock);
        status.setNextScheduledTime(null);
        return status;
    }

    public static KilnEtcdBackupStatus waiting(KilnEtcdBackupStatus previous, long generation,
            BackupDecision.Wait wait, Clock clock) {
        KilnEtcdBackupStatus status = start(previous, generation);
        Conditions.remove(status, STALLED);
        status.setNextScheduledTime(wait.until().equals(Instant.MAX) ? null : wait.until().toString());
        if (status.getLastBackup() == null && (status.getFailuresInARow() == null || status.getFailuresInARow() == 0)) {
            Conditions.set(status, new Condition(READY, Conditions.FALSE, "WaitingForFirstBackup", wait.reason(),
                    generation), clock);
        }
        return status;
    }

    public static KilnEtcdBackupStatus taken(KilnEtcdBackupStatus previous, long generation,
            BackupDecision.Take take, Optional<String> onDemandRequest, BackupOutcome.Taken taken, Clock clock) {
        KilnEtcdBackupStatus status = start(previous, generation);
        Conditions.remove(status, STALLED);
        BackupManifest manifest = taken.manifest();
        StoredBackup last = new StoredBackup();
        last.setKey(manifest.key());
        last.setSize(manifest.size());
        last.setSha256(manifest.sha256());
        last.setEtcdClusterId(manifest.etcdClusterId());
        manifest.etcdRevision().ifPresent(last::setEtcdRevision);
        last.setMember(manifest.member());
        last.setCompletionTime(clock.instant().toString());
        last.setTrigger(trigger(take.trigger()));
        status.setLastBackup(last);
        status.setFailuresInARow(0);
        if (take.trigger() == BackupDecision.Trigger.ON_DEMAND) {
            status.setLastOnDemandRequest(onDemandRequest.orElse(null));
        } else {
            status.setLastScheduledTime(clock.instant().toString());
        }
        status.setBackups(kept(taken.kept(), last, previous));
        Conditions.set(status, new Condition(READY, Conditions.TRUE, "BackupSucceeded", "backup " + manifest.key()
                + " (" + manifest.size() + " bytes, sha256 " + manifest.sha256()
                + manifest.etcdRevision().stream().mapToObj(r -> ", etcd revision " + r).findFirst().orElse("")
                + ") from member "
                + manifest.member(), generation), clock);
        return status;
    }

    public static KilnEtcdBackupStatus failed(KilnEtcdBackupStatus previous, long generation,
            BackupDecision.Take take, Optional<String> onDemandRequest, BackupOutcome.Failed failed, Clock clock) {
        KilnEtcdBackupStatus status = start(previous, generation);
        BackupFailure failure = new BackupFailure();
        failure.setTime(clock.instant().toString());
        failure.setReason(failed.reason());
        failure.setMessage(failed.message());
        status.setLastFailure(failure);
        int failures = Objects.requireNonNullElse(status.getFailuresInARow(), 0) + 1;
        status.setFailuresInARow(failures);
        Instant retryAt = clock.instant().plus(BackupDecision.retryDelay(failures));
        status.setNextScheduledTime(retryAt.toString());
        Conditions.set(status, new Condition(READY, Conditions.FALSE, failed.reason(), failed.message()
                + "; attempt " + failures + " (" + trigger(take.trigger()) + "), retrying at " + retryAt, generation),
                clock);
        return status;
    }

    static String trigger(BackupDecision.Trigger trigger) {
        return switch (trigger) {
            case SCHEDULED -> "Scheduled";
            case ON_DEMAND -> "OnDemand";
            case RETRY -> "Retry";
        };
    }

    private static List<StoredBackup> kept(List<BackupKey> kept, StoredBackup last, KilnEtcdBackupStatus previous) {
        List<StoredBackup> known = previous == null || previous.getBackups() == null ? List.of() : previous.getBackups();
        return kept.stream()
                .sorted(Comparator.comparing(BackupKey::taken).reversed())
                .map(key -> key.key().equals(last.getKey()) ? last : known.stream()
                        .filter(b -> key.key().equals(b.getKey())).findFirst().orElseGet(() -> bare(key)))
                .toList();
    }

    private static StoredBackup bare(BackupKey key) {
        StoredBackup backup = new StoredBackup();
        backup.setKey(key.key());
        backup.setEtcdClusterId(key.etcdClusterId());
        backup.setCompletionTime(key.taken().toString());
        return backup;
    }

    private static KilnEtcdBackupStatus start(KilnEtcdBackupStatus previous, long generation) {
        KilnEtcdBackupStatus status = previous == null ? new KilnEtcdBackupStatus() : previous;
        status.setObservedGeneration(generation);
        return status;
    }
}
