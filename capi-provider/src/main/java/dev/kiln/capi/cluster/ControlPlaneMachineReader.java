package dev.kiln.capi.cluster;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.cluster.MachineView;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Finds what stands behind each control-plane Machine: its KilnMachine and, once a server is claimed, its node. */
public final class ControlPlaneMachineReader {

    private final MachineNodes machineNodes;

    public ControlPlaneMachineReader(MachineNodes machineNodes) {
        this.machineNodes = machineNodes;
    }

    /** The machines oldest first, each with its KilnMachine and node read once, so the two agree. */
    public List<ControlPlaneMachine> read(List<Machine> controlPlaneMachines) {
        return controlPlaneMachines.stream()
                .map(this::read)
                .sorted(Comparator.comparing(ControlPlaneMachine::view, MachineView.OLDEST_FIRST))
                .toList();
    }

    private ControlPlaneMachine read(Machine machine) {
        Optional<KilnMachine> kilnMachine = machineNodes.kilnMachine(machine);
        return new ControlPlaneMachine(machine, kilnMachine,
                kilnMachine.flatMap(km -> machineNodes.node(machine, km)));
    }
}
