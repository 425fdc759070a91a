package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.EtcdMembershipReader;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.pki.SecretsBundle;
import java.util.List;
import java.util.Optional;

/**
 * Whether a deleted control-plane machine has already left etcd, as the cluster's other live control-plane nodes
 * report it. A node whose member another node removed (leave-before-delete under the pre-terminate hook) has lost
 * its cluster and cannot learn that itself, so it refuses to leave in a graceful reset.
 */
final class EtcdDeparture {

    private final ClusterLookup clusters;
    private final MachineNodes machineNodes;
    private final EtcdMembershipReader reader;

    EtcdDeparture(ClusterLookup clusters, MachineNodes machineNodes, NodeConnector nodes) {
        this.clusters = clusters;
        this.machineNodes = machineNodes;
        this.reader = new EtcdMembershipReader(nodes);
    }

    /** True only when another node lists the members and none can be this machine's; unknown counts as not left. */
    boolean hasLeft(KilnMachine kilnMachine, SecretsBundle secrets) {
        Optional<Machine> owner = clusters.owningMachine(kilnMachine).filter(Machine::isControlPlane);
        Optional<Cluster> cluster = clusters.clusterOf(kilnMachine);
        if (owner.isEmpty() || cluster.isEmpty()) {
            return false;
        }
        String self = owner.get().getMetadata().getName();
        List<EtcdMembershipReader.Candidate> candidates = clusters.controlPlaneMachines(cluster.get()).stream()
                .map(machine -> {
                    Optional<MachineNodes.MachineNode> node = machineNodes.node(machine);
                    boolean askable = !machine.getMetadata().getName().equals(self) && !machine.isDeleting()
                            && node.map(MachineNodes.MachineNode::provisioned).orElse(false);
                    return new EtcdMembershipReader.Candidate(machine.getMetadata().getName(), node, askable);
                })
                .toList();
        // A member no machine can be told for (no name, no matching peer address) might be this node's: not left.
        return reader.read(candidates, Optional.empty(), new NodeCredentials.ClusterAdmin(secrets))
                instanceof EtcdMembershipReader.Result.Known known && known.view().members().stream()
                        .noneMatch(member -> member.name().isEmpty() || member.name().equals(self));
    }
}
