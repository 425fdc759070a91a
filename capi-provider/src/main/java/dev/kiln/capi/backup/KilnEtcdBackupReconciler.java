package dev.kiln.capi.backup;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.cluster.StatusReplace;
import dev.kiln.capi.core.v1beta1.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Scheduled and on-demand etcd backups of one cluster: read the spec and status, ask {@link BackupDecision}, take at
 * most one backup ({@link BackupRun}), record it in status and as an Event, and come back when the next is due.
 */
// Not generation-aware: the on-demand annotation changes metadata only, and must wake the reconciler at once.
@ControllerConfiguration(name = "kiln-etcd-backup", generationAwareEventProcessing = false)
public final class KilnEtcdBackupReconciler implements Reconciler<KilnEtcdBackup> {

    /** The longest sleep between passes, so a changed Secret or a cluster that became ready is noticed. */
    static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final ClusterLookup clusters;
    private final BackupRun run;
    private final KilnEvents events;
    private final Clock clock;

    public KilnEtcdBackupReconciler(ReconcilerDependencies deps) {
        this.client = deps.client();
        this.clusters = deps.clusters();
        this.run = new BackupRun(deps.client(), deps.clusters(), deps.machineNodes(), deps.nodes(),
                new BootstrapRecordStore(deps.client(), deps.identity(), deps.clock()));
        this.events = deps.events("kiln-etcd-backup");
        this.clock = deps.clock();
    }

    @Override
    public UpdateControl<KilnEtcdBackup> reconcile(KilnEtcdBackup cached, Context<KilnEtcdBackup> context) {
        // Decide from the server's copy: the informer's may lag our own last status write, and a lagging
        // lastOnDemandRequest would take an on-demand backup twice.
        KilnEtcdBackup backup = client.resources(KilnEtcdBackup.class).inNamespace(cached.getMetadata().getNamespace())
                .withName(cached.getMetadata().getName()).get();
        if (backup == null || backup.isMarkedForDeletion()) {
            return UpdateControl.noUpdate();
        }
        String statusBefore = client.getKubernetesSerialization().asJson(backup.getStatus());
        long generation = Objects.requireNonNullElse(backup.getMetadata().getGeneration(), 0L);
        BackupPlan plan = BackupPlan.of(backup.getSpec());
        if (plan instanceof BackupPlan.Invalid invalid) {
            List<Condition> before = backup.getStatus() == null || backup.getStatus().getConditions() == null
                    ? List.of() : List.copyOf(backup.getStatus().getConditions());
            backup.setStatus(BackupStatusUpdate.invalid(backup.getStatus(), generation, invalid.problems(), clock));
            boolean news = !before.equals(backup.getStatus().getConditions());
            if (news) {
                events.record(backup, KilnEvents.Type.Warning, "InvalidSpec", String.join("; ", invalid.problems()));
            }
            return write(backup, statusBefore, LONGEST_WAIT);
        }
        BackupPlan.Valid valid = (BackupPlan.Valid) plan;
        Instant now = clock.instant();
        Instant created = Optional.ofNullable(backup.getMetadata().getCreationTimestamp()).map(Instant::parse)
                .orElse(now);
        Optional<String> request = Optional.ofNullable(backup.getMetadata().getAnnotations())
                .map(a -> a.get(KilnEtcdBackup.BACKUP_NOW_ANNOTATION));
        BackupDecision decision = BackupDecision.decide(BackupStatusUpdate.history(backup.getStatus(), created),
                valid.schedule(), valid.suspended(), request, now);
        if (decision instanceof BackupDecision.Wait wait) {
            backup.setStatus(BackupStatusUpdate.waiting(backup.getStatus(), generation, wait, clock));
            return write(backup, statusBefore, until(wait.until(), now));
        }
        BackupDecision.Take take = (BackupDecision.Take) decision;
        Optional<Cluster> cluster = clusters.cluster(backup.getMetadata().getNamespace(), valid.clusterName());
        BackupOutcome outcome = cluster.isEmpty()
                ? new BackupOutcome.Failed("ClusterNotFound", "Cluster " + valid.clusterName() + " does not exist in "
                        + backup.getMetadata().getNamespace())
                : run.take(cluster.get(), valid, now);
        if (outcome instanceof BackupOutcome.Taken taken) {
            backup.setStatus(BackupStatusUpdate.taken(backup.getStatus(), generation, take, request, taken, clock));
            events.record(backup, KilnEvents.Type.Normal, "BackupSucceeded", take.reason() + ": wrote "
                    + taken.manifest().key() + " (" + taken.manifest().size() + " bytes) to "
                    + valid.destination().describe() + pruned(taken));
        } else {
            BackupOutcome.Failed failed = (BackupOutcome.Failed) outcome;
            backup.setStatus(BackupStatusUpdate.failed(backup.getStatus(), generation, take, request, failed, clock));
            events.record(backup, KilnEvents.Type.Warning, failed.reason(), take.reason() + ": " + failed.message());
        }
        return write(backup, statusBefore, Duration.ofSeconds(1));
    }

    private static String pruned(BackupOutcome.Taken taken) {
        String deleted = taken.deleted().isEmpty() ? "" : "; retention deleted " + String.join(", ", taken.deleted());
        String aborted = taken.abortedUploads().isEmpty() ? ""
                : "; aborted incomplete uploads of " + String.join(", ", taken.abortedUploads());
        return deleted + aborted;
    }

    private static Duration until(Instant due, Instant now) {
        if (due.equals(Instant.MAX)) {
            return LONGEST_WAIT;
        }
        Duration wait = Duration.between(now, due);
        if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
            return Duration.ofSeconds(1);
        }
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    /**
     * The whole status in one write (see {@link StatusReplace}); skipped when nothing changed, since every write is
     * an event this reconciler would wake for.
     */
    private UpdateControl<KilnEtcdBackup> write(KilnEtcdBackup backup, String statusBefore, Duration next) {
        if (client.getKubernetesSerialization().asJson(backup.getStatus()).equals(statusBefore)) {
            return UpdateControl.<KilnEtcdBackup>noUpdate().rescheduleAfter(next);
        }
        StatusReplace.write(client, KilnEtcdBackup.class, backup, backup.getStatus());
        return UpdateControl.<KilnEtcdBackup>noUpdate().rescheduleAfter(next);
    }
}
