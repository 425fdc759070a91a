package dev.kiln.capi.etcd;

import dev.kiln.backupstore.S3Failure;
import dev.kiln.capi.backup.SnapshotRestore;
import dev.kiln.capi.cluster.BootstrapRecordStore.Claim;
import dev.kiln.capi.cluster.BootstrapRecordStore.Record;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.cluster.AfterBootstrapCall;
import dev.kiln.machinery.cluster.BootstrapCallResult;
import dev.kiln.machinery.cluster.BootstrapDecision;
import dev.kiln.machinery.cluster.BootstrapPlanner;
import dev.kiln.machinery.cluster.MachineView;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link BootstrapPlanner}'s decision (I1): the bootstrap record is claimed create-if-absent before any
 * Bootstrap call, only the record's holder calls, only on the record's machine, and the record is completed once
 * that node's etcd is healthy. A record held by another live instance is left alone; a lapsed one is taken over.
 */
final class Bootstrapper {

    private static final Logger LOG = LoggerFactory.getLogger(Bootstrapper.class);

    private final BootstrapRecordStore records;
    private final NodeConnector nodes;
    private final BootstrapFaults faults;
    private final KilnMetrics metrics;
    private final String identity;

    Bootstrapper(BootstrapRecordStore records, NodeConnector nodes, BootstrapFaults faults, KilnMetrics metrics,
            String identity) {
        this.records = records;
        this.nodes = nodes;
        this.faults = faults;
        this.metrics = metrics;
        this.identity = identity;
    }

    Optional<Record> record(Cluster cluster, CachedReads<ConfigMap> cached) {
        return records.read(cluster, cached);
    }

    /** Acts on any decision but {@link BootstrapDecision.AlreadyBootstrapped}, which the caller handles. */
    Decision act(Cluster cluster, List<ControlPlaneMachine> machines, BootstrapDecision decision,
            Optional<Record> before, NodeCredentials credentials, Optional<Recovery> recovery) {
        if (decision instanceof BootstrapDecision.CreateRecord create) {
            return claimAndCall(cluster, machines, create.machineName(), before, credentials, recovery);
        }
        if (decision instanceof BootstrapDecision.CallBootstrap call) {
            return claimAndCall(cluster, machines, call.machineName(), before, credentials, recovery);
        }
        if (decision instanceof BootstrapDecision.RecordExisting existing) {
            return recordExisting(cluster, existing);
        }
        return notCalling(decision);
    }

    /**
     * The etcd cluster ID each control-plane node reports, by machine name; asked only while there is no record, so
     * that a lost record never leads to a second bootstrap. Nodes running no etcd refuse and are left out.
     */
    Map<String, String> etcdClusterIds(List<ControlPlaneMachine> machines, NodeCredentials credentials) {
        Map<String, String> ids = new HashMap<>();
        for (ControlPlaneMachine machine : machines) {
            if (!machine.answersForEtcd()) {
                continue;
            }
            try (NodeApi api = nodes.connect(machine.node().orElseThrow().apiAddress(), credentials)) {
                long clusterId = api.etcdStatus().clusterId();
                if (clusterId != 0) {
                    ids.put(machine.name(), Long.toHexString(clusterId));
                }
            } catch (NodeApiException e) {
                LOG.debug("machine {}: no etcd status: {} {}", machine.name(), e.kind(), e.getMessage());
            }
        }
        return ids;
    }

    private Decision recordExisting(Cluster cluster, BootstrapDecision.RecordExisting existing) {
        Record written = records.recordExisting(cluster, existing.machineName(), existing.etcdClusterId());
        if (!written.etcdClusterId().equals(existing.etcdClusterId())) {
            return Decision.waiting("BootstrapRecordAppeared", "a bootstrap record for machine " + written.machine()
                    + " appeared meanwhile; it is read again next pass");
        }
        return new Decision("BootstrapRecordRestored", KilnEvents.Type.Warning, "there was no bootstrap record, but etcd cluster "
                + existing.etcdClusterId() + " already runs on machine " + existing.machineName()
                + "; recorded it as bootstrapped instead of bootstrapping again", true, Decision.AFTER_CHANGE_RECHECK);
    }

    private Decision claimAndCall(Cluster cluster, List<ControlPlaneMachine> machines, String machine,
            Optional<Record> before, NodeCredentials credentials, Optional<Recovery> recovery) {
        Claim claim = records.claim(cluster, machine);
        if (claim instanceof Claim.HeldByAnother other) {
            Record held = other.record();
            return held.completed()
                    ? Decision.waiting("BootstrapCompletedElsewhere", "operator instance " + held.holder()
                            + " completed the bootstrap on machine " + held.machine())
                    : Decision.waiting("BootstrapHeldByAnother", "bootstrap record for machine " + held.machine()
                            + " is held by operator instance " + held.holder() + " until " + held.heldUntil()
                            + "; waiting for it to finish or lapse");
        }
        Record held = claim instanceof Claim.Created created ? created.record() : ((Claim.Held) claim).record();
        // The record's machine is final once written, so the call goes where the record says, whatever was chosen.
        BootstrapDecision now = BootstrapPlanner.decide(views(machines), Optional.of(held.view()));
        if (!(now instanceof BootstrapDecision.CallBootstrap call)) {
            return notCalling(now);
        }
        ControlPlaneMachine target = machines.stream().filter(m -> m.name().equals(call.machineName())).findFirst()
                .orElseThrow();
        String takeover = before.filter(r -> !r.holder().equals(identity))
                .map(r -> " (taken over from lapsed holder " + r.holder() + ")").orElse("");
        LOG.info("cluster {}: bootstrap record names machine {}, held by {}{}; calling Bootstrap",
                cluster.getMetadata().getName(), held.machine(), identity, takeover);
        faults.afterRecordWritten(cluster, held.machine());
        return callBootstrap(cluster, target.node().orElseThrow(), held, takeover, credentials, recovery);
    }

    private Decision callBootstrap(Cluster cluster, MachineNode node, Record held, String takeover,
            NodeCredentials credentials, Optional<Recovery> recovery) {
        BootstrapCallResult result = BootstrapCallResult.FAILED;
        NodeApi.EtcdHealth health = null;
        String restored = "";
        try (NodeApi api = nodes.connect(node.apiAddress(), credentials)) {
            if (recovery.isPresent() && !runsEtcd(api)) {
                SnapshotRestore.Uploaded uploaded = SnapshotRestore.upload(recovery.get().source(),
                        recovery.get().credentials(), api);
                restored = " from backup " + uploaded.key() + " (" + uploaded.size() + " bytes, sha256 "
                        + uploaded.sha256() + ")";
                LOG.info("cluster {}: uploaded backup {} to machine {}; bootstrapping from it",
                        cluster.getMetadata().getName(), uploaded.key(), held.machine());
                result = bootstrap(api, true);
            } else {
                result = bootstrap(api, false);
            }
            health = api.etcdStatus();
        } catch (SnapshotRestore.Refused e) {
            return Decision.stuck("RecoveryRefused", e.getMessage() + " (machine " + held.machine() + ")");
        } catch (NodeApiException e) {
            LOG.info("cluster {}: Bootstrap on machine {} not confirmed yet: {} {}", cluster.getMetadata().getName(),
                    held.machine(), e.kind(), e.getMessage());
        } catch (RuntimeException e) {
            if (recovery.isEmpty()) {
                throw e;
            }
            S3Failure failure = S3Failure.of(recovery.get().source().destination(), e);
            return Decision.warning("Recovery" + failure.reason(), "reading backup " + recovery.get().source().key()
                    + ": " + failure.message() + " (machine " + held.machine() + ")");
        }
        boolean healthy = health != null && health.healthy();
        Optional<String> clusterId = health == null || health.clusterId() == 0 ? Optional.empty()
                : Optional.of(Long.toHexString(health.clusterId()));
        AfterBootstrapCall after = BootstrapPlanner.afterBootstrapCall(result, healthy, clusterId);
        if (after instanceof AfterBootstrapCall.MarkCompleted completed) {
            if (records.complete(cluster, held, completed.etcdClusterId()).isEmpty()) {
                return Decision.waiting("BootstrapTakenOver", "etcd on machine " + held.machine()
                        + " is healthy, but another operator instance took the bootstrap record over during this"
                        + " call; the record's holder completes it");
            }
            metrics.bootstrapCalled(cluster.getMetadata().getName());
            return Decision.acted("Bootstrapped", "etcd bootstrapped on machine " + held.machine() + restored
                    + ", etcd cluster id " + completed.etcdClusterId() + takeover);
        }
        return Decision.waiting("BootstrapPending", ((AfterBootstrapCall.CheckAgain) after).reason()
                + " (machine " + held.machine() + ")" + takeover);
    }

    /** Whether etcd already runs there: then a recovery was uploaded and bootstrapped before, and is not repeated. */
    private static boolean runsEtcd(NodeApi api) {
        try {
            return api.etcdStatus().clusterId() != 0;
        } catch (NodeApiException e) {
            return false;
        }
    }

    private static BootstrapCallResult bootstrap(NodeApi api, boolean recoverEtcd) {
        try {
            api.bootstrap(recoverEtcd);
            return BootstrapCallResult.ACCEPTED;
        } catch (NodeApiException e) {
            if (e.kind() == NodeApiException.Kind.ALREADY_EXISTS) {
                return BootstrapCallResult.ALREADY_EXISTS;
            }
            throw e;
        }
    }

    /** Every decision that calls nothing: wait, stuck, or a bootstrap that turned out complete after all. */
    private static Decision notCalling(BootstrapDecision decision) {
        if (decision instanceof BootstrapDecision.WaitForBootstrap wait) {
            return Decision.waiting("WaitingForBootstrap", wait.reason());
        }
        if (decision instanceof BootstrapDecision.Stuck stuck) {
            return Decision.stuck("BootstrapStuck", stuck.reason());
        }
        if (decision instanceof BootstrapDecision.AlreadyBootstrapped done) {
            return Decision.waiting("BootstrapCompleted", "etcd cluster " + done.etcdClusterId()
                    + " is already bootstrapped");
        }
        throw new IllegalStateException("not a waiting bootstrap decision: " + decision);
    }

    static List<MachineView> views(List<ControlPlaneMachine> machines) {
        return machines.stream().map(ControlPlaneMachine::view).toList();
    }
}
