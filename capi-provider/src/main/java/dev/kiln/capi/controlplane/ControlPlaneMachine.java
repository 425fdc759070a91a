package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.ControlPlaneMachineViews;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.NodeApi.NodeVersion;
import java.util.Map;
import java.util.Optional;

/**
 * One Machine of the control plane with what was found behind it.
 *
 * @param machine     the Cluster API Machine
 * @param kilnMachine its KilnMachine, once it exists
 * @param node        its server and machine API address, once a server is claimed
 * @param upToDate    made from the current config hash (under InPlace, whatever version it was made with)
 * @param reported    what its node said about its version this pass; empty when it was not asked or did not answer
 */
record ControlPlaneMachine(Machine machine, Optional<KilnMachine> kilnMachine, Optional<MachineNode> node,
        boolean upToDate, Optional<NodeVersion> reported) {

    ControlPlaneMachine(Machine machine, Optional<KilnMachine> kilnMachine, Optional<MachineNode> node,
            boolean upToDate) {
        this(machine, kilnMachine, node, upToDate, Optional.empty());
    }

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

    /** The version its node reports running, else the version the Machine was made with. */
    Optional<String> version() {
        if (reported.isPresent()) {
            return Optional.of(reported.get().running());
        }
        return Optional.ofNullable(machine.getSpec() == null ? null : machine.getSpec().getVersion());
    }

    /** Its node answered running {@code version}, confirmed (not on trial). */
    boolean runs(String version) {
        return reported.map(v -> v.running().equals(version) && !v.trial()).orElse(false);
    }

    ControlPlaneMachine withReported(Optional<NodeVersion> answer) {
        return new ControlPlaneMachine(machine, kilnMachine, node, upToDate, answer);
    }

    Map<String, String> annotations() {
        Map<String, String> annotations = machine.getMetadata().getAnnotations();
        return annotations == null ? Map.of() : annotations;
    }
}
