package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads what a control-plane config's etcd peers are decided from (its cluster's control-plane Machines, the servers
 * their KilnMachines hold, the replicas its KilnControlPlane wants) and applies {@link EtcdPeers}' rule to it.
 */
final class ControlPlanePeers {

    /** Whether the config may be rendered now, and with which peers. */
    sealed interface Decision {

        /** The etcd client URLs of the other control-plane servers, sorted; empty for none. */
        record Render(List<String> peers) implements Decision {
            public Render {
                peers = List.copyOf(peers);
            }
        }

        /** Not yet: the message says for what, naming the machines without a server. */
        record Wait(String message) implements Decision {
        }
    }

    /** The KilnMachine condition, and its reasons, that say no free server matches the machine. */
    static final String SERVER_CLAIMED = "ServerClaimed";
    private static final Set<String> NO_FREE_SERVER = Set.of("NoServerAvailable", "NoServerInFailureDomain");

    Decision decide(Machine self, Cluster cluster, ConfigReads reads) {
        MachineNodes nodes = reads.nodes();
        String name = self.getMetadata().getName();
        List<EtcdPeers.ControlPlaneMachine> controlPlane = reads.machines().list(cluster.getMetadata().getNamespace(),
                        KilnLabels.forCluster(cluster.getMetadata().getName()), Set.of(), Machine::isControlPlane)
                .stream().map(machine -> {
                    Optional<KilnMachine> kilnMachine = nodes.kilnMachine(machine);
                    Optional<MachineNodes.MachineNode> node = kilnMachine.flatMap(km -> nodes.node(machine, km));
                    return new EtcdPeers.ControlPlaneMachine(machine.getMetadata().getName(),
                            node.map(MachineNodes.MachineNode::apiAddress).orElse(null),
                            ControlPlaneMachine.creationOrderOf(machine),
                            !machine.isDeleting() && !ControlPlaneMachine.hasFailed(machine),
                            node.map(MachineNodes.MachineNode::provisioned).orElse(false),
                            node.isEmpty() && kilnMachine.map(ControlPlanePeers::foundNoFreeServer).orElse(false));
                }).toList();
        Optional<String> mustWait = EtcdPeers.mustWait(name, desiredReplicas(self, cluster, reads.controlPlanes()),
                controlPlane);
        return mustWait.<Decision>map(Decision.Wait::new)
                .orElseGet(() -> new Decision.Render(EtcdPeers.clientUrls(name, controlPlane)));
    }

    /** Its KilnMachine's ServerClaimed condition says no server is free for it. */
    static boolean foundNoFreeServer(KilnMachine machine) {
        return machine.getStatus() != null && Conditions.get(machine.getStatus(), SERVER_CLAIMED)
                .filter(c -> Conditions.FALSE.equals(c.getStatus()) && NO_FREE_SERVER.contains(c.getReason()))
                .isPresent();
    }

    /**
     * The replicas of the KilnControlPlane that owns {@code self}, else of the one the Cluster names; empty for a
     * control plane of another kind or none. The Machine's own owner comes first: a cached Cluster may not name it yet.
     */
    private static OptionalInt desiredReplicas(Machine self, Cluster cluster,
            CachedReads<KilnControlPlane> controlPlanes) {
        Optional<KilnControlPlane> controlPlane;
        try {
            controlPlane = KilnLabels.ownerOfKind(self, "KilnControlPlane").map(OwnerReference::getName)
                    .or(() -> ClusterLookup.kilnControlPlaneName(cluster))
                    .flatMap(name -> controlPlanes.get(cluster.getMetadata().getNamespace(), name));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 403) {
                throw e;
            }
            // Without the grant (an older RBAC), the configs wait for a provisioned peer.
            return OptionalInt.empty();
        }
        Integer replicas = controlPlane.map(KilnControlPlane::getSpec).map(spec -> spec.getReplicas()).orElse(null);
        return replicas == null ? OptionalInt.empty() : OptionalInt.of(replicas);
    }
}
