package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeConnector;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Deletes one control-plane Machine the planner picked, moving etcd leadership away from it first. Its etcd member
 * is removed by the cluster etcd reconciler through the Machine's pre-terminate hook, not here.
 */
final class MachineRemover {

    private final KubernetesClient client;
    private final NodeConnector connector;

    MachineRemover(KubernetesClient client, NodeConnector connector) {
        this.client = client;
        this.connector = connector;
    }

    /**
     * @param decision "ScaleDown" or "RollOut"
     * @param reason   the Resized condition's reason
     * @param why      the planner's reason
     */
    Outcome remove(ControlPlaneState state, String machineName, String decision, String reason, String why) {
        ControlPlaneMachine victim = state.machine(machineName).orElseThrow(() -> new IllegalStateException(
                "the planner picked machine " + machineName + ", which is not one of this control plane's"));
        String forfeited = forfeitLeadership(state, victim);
        client.resources(Machine.class).inNamespace(state.namespace()).withName(machineName).delete();
        return new Outcome(decision, reason, why + "; " + forfeited + "deleted machine " + machineName
                + " (its etcd member leaves through the pre-terminate hook)", false);
    }

    /** Returns a clause for the message, empty when the machine did not lead. */
    private String forfeitLeadership(ControlPlaneState state, ControlPlaneMachine victim) {
        if (!state.etcd().leads(victim.memberName())) {
            return "";
        }
        if (victim.node().isEmpty() || state.credentials().isEmpty()) {
            return "could not ask " + victim.name() + " to give up etcd leadership (no node address or credentials); ";
        }
        try (NodeApi api = connector.connect(victim.node().get().apiAddress(), state.credentials().get())) {
            String leader = api.forfeitLeadership();
            return "moved etcd leadership away from " + victim.name()
                    + (leader == null || leader.isEmpty() ? "" : " to " + leader) + ", then ";
        } catch (RuntimeException e) {
            // The planner's quorum check already allowed losing this member, so an unreachable leader does not block.
            return "could not move etcd leadership away from " + victim.name() + " (" + e.getMessage() + "); ";
        }
    }
}
