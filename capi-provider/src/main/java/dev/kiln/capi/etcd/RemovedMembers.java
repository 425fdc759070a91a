package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds control-plane machines whose node says its etcd member was removed from the cluster. Only machines that run
 * no member are asked, so a converged cluster costs no call.
 */
final class RemovedMembers {

    /** What a node puts in its EtcdStatus refusal once its member was removed (node-init's words). */
    static final String NODE_SAYS_REMOVED = "removed from cluster";

    private final NodeConnector nodes;

    RemovedMembers(NodeConnector nodes) {
        this.nodes = nodes;
    }

    Set<String> among(List<ControlPlaneMachine> machines, EtcdObservation members, NodeCredentials credentials) {
        Set<String> removed = new HashSet<>();
        for (ControlPlaneMachine machine : machines) {
            if (!machine.answersForEtcd() || members.runsMember(machine.name())) {
                continue;
            }
            try (NodeApi api = nodes.connect(machine.node().orElseThrow().apiAddress(), credentials)) {
                api.etcdStatus();
            } catch (NodeApiException e) {
                if (e.kind() == NodeApiException.Kind.REFUSED && e.getMessage() != null
                        && e.getMessage().contains(NODE_SAYS_REMOVED)) {
                    removed.add(machine.name());
                }
            }
        }
        return removed;
    }
}
