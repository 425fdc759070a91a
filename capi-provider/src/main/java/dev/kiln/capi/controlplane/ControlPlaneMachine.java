package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.ControlPlaneMachineViews;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Machine;
import java.util.Map;
import java.util.Optional;

/**
 * One Machine of the control plane with what was found behind it.
 *
 * @param machine     the Cluster API Machine
 * @param kilnMachine its KilnMachine, once it exists
 * @param node        its server and machine API address, once a server is claimed
 * @param upToDate    made from the current config hash
 */
record ControlPlaneMachine(Machine machine, Optional<KilnMachine> kilnMachine, Optional<MachineNode> node,
        boolean upToDate) {

    String name() {
        return machine.getMetadata().getName();
    }

    /**
     * The etcd member name this machine runs. The Machine, its KilnConfig and its KilnMachine share one name, so the
     * hostname is that name whichever hostname source the config uses.
     */
    String memberName() {
        return name();
    }

    boolean deleting() {
        return machine.isDeleting();
    }

    /** Configured and installed: the KilnMachine reported ready. */
    boolean provisioned() {
        return kilnMachine.map(km -> km.getStatus() != null && Boolean.TRUE.equals(km.getStatus().getReady()))
                .orElse(false);
    }

    boolean failed() {
        return ControlPlaneMachineViews.failed(machine);
    }

    boolean markedForDeletion() {
        return annotations().containsKey(Machine.DELETE_MACHINE_ANNOTATION);
    }

    boolean holdsEtcdHook() {
        return annotations().containsKey(dev.kiln.capi.cluster.KilnLabels.ETCD_HOOK);
    }

    long creationOrder() {
        return ControlPlaneMachineViews.creationOrder(machine);
    }

    Optional<String> version() {
        return Optional.ofNullable(machine.getSpec() == null ? null : machine.getSpec().getVersion());
    }

    private Map<String, String> annotations() {
        Map<String, String> annotations = machine.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
