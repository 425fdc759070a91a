package dev.kiln.capi;

import dev.kiln.capi.bootstrap.KilnConfigReconciler;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.controlplane.KilnControlPlaneReconciler;
import dev.kiln.capi.etcd.ClusterEtcdReconciler;
import dev.kiln.capi.infrastructure.KilnClusterReconciler;
import dev.kiln.capi.infrastructure.KilnMachineReconciler;
import dev.kiln.capi.node.NodeConnector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.util.List;

/** Every reconciler of Kiln's three providers, wired with what they share. The operator registers these. */
public final class KilnReconcilers {

    /** What the reconcilers share: the management API, the machine API, metrics, and who this operator is. */
    public record Dependencies(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics, String identity,
            Clock clock) {

        public ClusterLookup clusters() {
            return new ClusterLookup(client);
        }

        public MachineNodes machineNodes() {
            return new MachineNodes(client);
        }

        public KilnEvents events(String component) {
            return new KilnEvents(client, component, clock);
        }
    }

    private KilnReconcilers() {
    }

    public static List<Reconciler<?>> create(Dependencies deps) {
        return List.of(
                new KilnClusterReconciler(deps.clusters(), deps.clock()),
                new KilnConfigReconciler(deps.client(), deps.clusters(), deps.machineNodes(),
                        deps.events("kiln-bootstrap"), deps.clock()),
                new KilnMachineReconciler(deps.client(), deps.nodes(), deps.events("kilnmachine"), deps.clock()),
                new ClusterEtcdReconciler(deps),
                new KilnControlPlaneReconciler(deps));
    }
}
