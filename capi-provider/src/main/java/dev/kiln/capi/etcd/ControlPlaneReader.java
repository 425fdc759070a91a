package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.ControlPlaneMachineViews;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.cluster.MachineView;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns a cluster's control-plane Machines (label {@code cluster.x-k8s.io/control-plane}, whoever made them:
 * KilnControlPlane or a MachineDeployment) into the planners' {@link MachineView}s.
 */
final class ControlPlaneReader {

    private final MachineNodes machineNodes;

    ControlPlaneReader(MachineNodes machineNodes) {
        this.machineNodes = machineNodes;
    }

    List<ControlPlaneMachine> read(List<Machine> controlPlaneMachines) {
        return controlPlaneMachines.stream()
                .map(this::toControlPlaneMachine)
                .sorted(Comparator.comparing(ControlPlaneMachine::view, MachineView.OLDEST_FIRST))
                .toList();
    }

    private ControlPlaneMachine toControlPlaneMachine(Machine machine) {
        Optional<MachineNode> node = machineNodes.node(machine);
        return new ControlPlaneMachine(machine, node, ControlPlaneMachineViews.of(machine, node, false));
    }
}
