package dev.kiln.machinery.cluster;

import dev.kiln.machinery.cluster.BootstrapDecision.AlreadyBootstrapped;
import dev.kiln.machinery.cluster.BootstrapDecision.CallBootstrap;
import dev.kiln.machinery.cluster.BootstrapDecision.CreateRecord;
import dev.kiln.machinery.cluster.BootstrapDecision.RecordExisting;
import dev.kiln.machinery.cluster.BootstrapDecision.Stuck;
import dev.kiln.machinery.cluster.BootstrapDecision.WaitForBootstrap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Decides etcd bootstrap so that a cluster is bootstrapped exactly once, on exactly one machine (I1).
 *
 * <ul>
 *   <li>completed record: {@link AlreadyBootstrapped};</li>
 *   <li>no record, and nodes report one etcd cluster ID: {@link RecordExisting} naming the first such machine by
 *       name; several IDs: {@link Stuck};</li>
 *   <li>no record and no node reports etcd: {@link CreateRecord} for the oldest ready, live control-plane machine
 *       (ties by name), or wait;</li>
 *   <li>pending record whose machine is ready: {@link CallBootstrap} on that machine;</li>
 *   <li>pending record whose machine exists but is not ready: wait;</li>
 *   <li>pending record whose machine is gone, deleting, failed or not control plane: {@link Stuck}; never
 *       re-bootstrap elsewhere.</li>
 * </ul>
 */
public final class BootstrapPlanner {

    private BootstrapPlanner() {
    }

    public static BootstrapDecision decide(List<MachineView> machines, Optional<BootstrapRecordView> record) {
        return decide(machines, record, Map.of());
    }

    /**
     * @param etcdClusterIds the etcd cluster ID (hex) each control-plane machine's node reports, by machine name;
     *                       machines whose node runs no etcd or did not answer are absent. Only read without a record.
     */
    public static BootstrapDecision decide(List<MachineView> machines, Optional<BootstrapRecordView> record,
            Map<String, String> etcdClusterIds) {
        Objects.requireNonNull(machines, "machines");
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(etcdClusterIds, "etcdClusterIds");
        if (record.isEmpty()) {
            return etcdClusterIds.isEmpty() ? chooseMachine(machines) : existingEtcd(etcdClusterIds);
        }
        BootstrapRecordView held = record.get();
        if (held.completed()) {
            return new AlreadyBootstrapped(held.etcdClusterId());
        }
        Optional<MachineView> holder = machines.stream().filter(m -> m.name().equals(held.machineName())).findFirst();
        if (holder.isEmpty()) {
            return stuck(held, "is gone");
        }
        MachineView machine = holder.get();
        if (!machine.isControlPlane()) {
            return stuck(held, "is not a control-plane machine");
        }
        if (machine.deleting()) {
            return stuck(held, "is being deleted");
        }
        if (machine.failed()) {
            return stuck(held, "has failed");
        }
        if (!machine.ready()) {
            return new WaitForBootstrap("bootstrap machine " + machine.name() + " is not ready yet");
        }
        return new CallBootstrap(machine.name());
    }

    /**
     * Reads the holder's answer. ACCEPTED and ALREADY_EXISTS both complete only once the holder's etcd is healthy and
     * the cluster id is known, since ALREADY_EXISTS alone may be a half-done earlier attempt.
     */
    public static AfterBootstrapCall afterBootstrapCall(
            BootstrapCallResult result, boolean holderEtcdHealthy, Optional<String> etcdClusterId) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(etcdClusterId, "etcdClusterId");
        if (result == BootstrapCallResult.FAILED) {
            return new AfterBootstrapCall.CheckAgain("Bootstrap call failed; retrying on the same machine");
        }
        if (!holderEtcdHealthy) {
            return new AfterBootstrapCall.CheckAgain(result == BootstrapCallResult.ALREADY_EXISTS
                    ? "node reports etcd already bootstrapped but its etcd is not healthy"
                    : "Bootstrap accepted; waiting for etcd to become healthy");
        }
        if (etcdClusterId.isEmpty() || etcdClusterId.get().isBlank()) {
            return new AfterBootstrapCall.CheckAgain("etcd is healthy but its cluster id is not known yet");
        }
        return new AfterBootstrapCall.MarkCompleted(etcdClusterId.get());
    }

    private static BootstrapDecision chooseMachine(List<MachineView> machines) {
        Optional<MachineView> oldestReady = machines.stream()
                .filter(m -> m.isControlPlane() && m.isLive() && m.ready())
                .min(MachineView.OLDEST_FIRST);
        if (oldestReady.isEmpty()) {
            return new WaitForBootstrap("no control-plane machine is ready for bootstrap yet");
        }
        return new CreateRecord(oldestReady.get().name());
    }

    private static BootstrapDecision existingEtcd(Map<String, String> etcdClusterIds) {
        Map<String, String> byName = new TreeMap<>(etcdClusterIds);
        TreeSet<String> clusterIds = new TreeSet<>(byName.values());
        if (clusterIds.size() > 1) {
            return new Stuck("there is no bootstrap record, and the nodes report " + clusterIds.size()
                    + " etcd clusters " + byName + "; recover by hand (restore the bootstrap record of the cluster to"
                    + " keep and reset the other nodes)");
        }
        Map.Entry<String, String> first = byName.entrySet().iterator().next();
        return new RecordExisting(first.getKey(), first.getValue());
    }

    private static Stuck stuck(BootstrapRecordView held, String what) {
        return new Stuck("bootstrap machine " + held.machineName() + " " + what
                + " before bootstrap completed; choosing another could create a second etcd cluster, "
                + "so recover by hand (restore from snapshot or reset the bootstrap record)");
    }
}
