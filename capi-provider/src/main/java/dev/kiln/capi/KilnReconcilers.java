package dev.kiln.capi;

import dev.kiln.capi.backup.KilnEtcdBackupReconciler;
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
import dev.kiln.capi.node.events.NodeEventStreams;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Every reconciler of Kiln's three providers, wired with what they share. The operator registers these. */
public final class KilnReconcilers {

    /**
     * What the reconcilers share: the management API, the machine API and its event streams, metrics, and who this
     * operator is.
     *
     * @param unreachableNodeGrace how long a deleted machine waits for a node that does not answer at all
     */
    public record Dependencies(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics, String identity,
            Clock clock, Duration unreachableNodeGrace, NodeEventStreams nodeEvents) {

        public Dependencies(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics, String identity,
                Clock clock) {
            this(client, nodes, metrics, identity, clock, KilnMachineReconciler.UNREACHABLE_GIVE_UP);
        }

        /** Without node event streams: reconcilers then learn of node changes from their resync alone. */
        public Dependencies(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics, String identity,
                Clock clock, Duration unreachableNodeGrace) {
            this(client, nodes, metrics, identity, clock, unreachableNodeGrace, NodeEventStreams.none());
        }

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
        return create(deps, EnumSet.allOf(ProviderType.class));
    }

    /** The reconcilers of the given provider types only. */
    public static List<Reconciler<?>> create(Dependencies deps, Set<ProviderType> providers) {
        List<Reconciler<?>> reconcilers = new ArrayList<>();
        if (providers.contains(ProviderType.INFRASTRUCTURE)) {
            reconcilers.add(new KilnClusterReconciler(deps.clusters(), deps.clock()));
            reconcilers.add(new KilnMachineReconciler(deps.client(), deps.nodes(), deps.events("kilnmachine"),
                    deps.clock(), KilnMachineReconciler.POLL, deps.unreachableNodeGrace(), deps.nodeEvents()));
        }
        if (providers.contains(ProviderType.BOOTSTRAP)) {
            reconcilers.add(new KilnConfigReconciler(deps.client(), deps.clusters(), deps.machineNodes(),
                    deps.events("kiln-bootstrap"), deps.clock()));
        }
        if (providers.contains(ProviderType.CONTROL_PLANE)) {
            // the cluster's etcd (bootstrap once, membership) belongs to the control plane
            reconcilers.add(new ClusterEtcdReconciler(deps));
            reconcilers.add(new KilnControlPlaneReconciler(deps));
            reconcilers.add(new KilnEtcdBackupReconciler(deps));
        }
        return List.copyOf(reconcilers);
    }
}
