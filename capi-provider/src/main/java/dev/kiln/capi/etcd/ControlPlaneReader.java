package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.cluster.MachineRole;
import dev.kiln.machinery.cluster.MachineView;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a cluster's control-plane Machines (label {@code cluster.x-k8s.io/control-plane}, whoever made them:
 * KilnControlPlane or a MachineDeployment) into the planners' {@link MachineView}s.
 */
final class ControlPlaneReader {

    private final ClusterLookup clusters;
    private final MachineNodes machineNodes;

    ControlPlaneReader(ClusterLookup clusters, MachineNodes machineNodes) {
        this.clusters = clusters;
        this.machineNodes = machineNodes;
    }

    List<ControlPlaneMachine> read(Cluster cluster) {
        return clusters.controlPlaneMachines(cluster).stream()
                .map(this::toControlPlaneMachine)
                .sorted(Comparator.comparing(ControlPlaneMachine::view, MachineView.OLDEST_FIRST))
                .toList();
    }

    private ControlPlaneMachine toControlPlaneMachine(Machine machine) {
        Optional<MachineNode> node = machineNodes.node(machine);
        Map<String, String> annotations = machine.getMetadata().getAnnotations() == null ? Map.of()
                : machine.getMetadata().getAnnotations();
        String name = machine.getMetadata().getName();
        MachineView view = new MachineView(
                name,
                MachineRole.CONTROL_PLANE,
                creationOrder(machine),
                node.map(MachineNode::provisioned).orElse(false),
                machine.isDeleting(),
                machine.getStatus() != null && machine.getStatus().getFailureReason() != null,
                // Kiln's machine config sets the node's hostname, and so its etcd member name, to the Machine name.
                Optional.of(name),
                annotations.containsKey(KilnLabels.ETCD_HOOK),
                false,
                annotations.containsKey(Machine.DELETE_MACHINE_ANNOTATION));
        return new ControlPlaneMachine(machine, node, view);
    }

    /** Epoch millis of creation; a Machine without a readable timestamp sorts last so it is never taken for the oldest. */
    private static long creationOrder(Machine machine) {
        String created = machine.getMetadata().getCreationTimestamp();
        if (created == null) {
            return Long.MAX_VALUE;
        }
        try {
            return Instant.parse(created).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MAX_VALUE;
        }
    }
}
