package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApi.NodeVersion;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.node.NodeFanOut;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Asks each provisioned control-plane machine's node which node-init version it runs. */
final class NodeVersionObserver {

    private final NodeConnector connector;

    NodeVersionObserver(NodeConnector connector) {
        this.connector = connector;
    }

    List<ControlPlaneMachine> observe(List<ControlPlaneMachine> machines, Optional<NodeCredentials> credentials) {
        if (credentials.isEmpty()) {
            return machines;
        }
        List<Optional<NodeVersion>> versions = NodeFanOut.askEach(machines, m -> ask(m, credentials.get()));
        return IntStream.range(0, machines.size()).mapToObj(i -> machines.get(i).withReported(versions.get(i)))
                .toList();
    }

    private Optional<NodeVersion> ask(ControlPlaneMachine machine, NodeCredentials credentials) {
        if (machine.deleting() || !machine.provisioned() || machine.node().isEmpty()) {
            return Optional.empty();
        }
        try (NodeApi api = connector.connect(machine.node().get().apiAddress(), credentials)) {
            NodeVersion version = api.version();
            // A node in maintenance mode answers without its configured identity: not the machine's version.
            return version.maintenance() ? Optional.empty() : Optional.of(version);
        } catch (RuntimeException e) {
            // Rebooting into a new slot, or down: the planner reads an absent answer as "not back yet".
            return Optional.empty();
        }
    }
}
