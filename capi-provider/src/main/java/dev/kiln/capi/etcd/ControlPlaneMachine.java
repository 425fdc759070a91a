package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.cluster.MachineView;
import java.util.Optional;

/** One control-plane Machine with the node it runs on (once its KilnMachine claimed a server) and the planners' view of it. */
record ControlPlaneMachine(Machine machine, Optional<MachineNode> node, MachineView view) {

    String name() {
        return view.name();
    }

    /** Provisioned and not being deleted: a node worth asking about etcd. */
    boolean answersForEtcd() {
        return node.isPresent() && view.ready() && !view.deleting();
    }
}
