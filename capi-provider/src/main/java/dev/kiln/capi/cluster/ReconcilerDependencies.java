package dev.kiln.capi.cluster;

import dev.kiln.capi.informers.SharedInformers;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.events.NodeEventStreams;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;

/**
 * What the reconcilers share: the management API and its informers, the machine API and its event streams, metrics,
 * and who this operator is.
 *
 * @param unreachableNodeGrace how long a deleted machine waits for a node that does not answer at all
 */
public record ReconcilerDependencies(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics,
        String identity, Clock clock, Duration unreachableNodeGrace, NodeEventStreams nodeEvents,
        SharedInformers informers) {

    /** The grace a deleted machine gives a node that does not answer, unless the operator is told otherwise. */
    public static final Duration DEFAULT_UNREACHABLE_NODE_GRACE = Duration.ofMinutes(2);

    public ReconcilerDependencies(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics, String identity,
            Clock clock) {
        this(client, nodes, metrics, identity, clock, DEFAULT_UNREACHABLE_NODE_GRACE);
    }

    /** Without node event streams: reconcilers then learn of node changes from their resync alone. */
    public ReconcilerDependencies(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics, String identity,
            Clock clock, Duration unreachableNodeGrace) {
        this(client, nodes, metrics, identity, clock, unreachableNodeGrace, NodeEventStreams.none());
    }

    public ReconcilerDependencies(KubernetesClient client, NodeConnector nodes, KilnMetrics metrics, String identity,
            Clock clock, Duration unreachableNodeGrace, NodeEventStreams nodeEvents) {
        this(client, nodes, metrics, identity, clock, unreachableNodeGrace, nodeEvents, new SharedInformers(client));
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
