package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.NodeAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Which nodes a command acts on and where it connects, with talosctl's meaning of the flags: nodes are the targets,
 * endpoints are where to connect, and without nodes the endpoints themselves are the targets. An explicit {@code -e}
 * that differs from {@code -n} makes its first endpoint relay every call to the nodes; a kilnconfig's endpoints only
 * stand in for missing nodes, and named nodes are then dialled directly.
 */
public final class Targets {

    private Targets() {
    }

    /** The targets, and the endpoint that relays calls to them when there is one. */
    public record Route(List<NodeAddress> nodes, Optional<NodeAddress> endpoint) {

        /** Whether a call to {@code node} goes through the endpoint rather than straight to the node. */
        public boolean relays(NodeAddress node) {
            return endpoint.isPresent() && !endpoint.get().equals(node);
        }
    }

    static Route resolve(List<String> nodesFlag, List<String> endpointsFlag, List<String> contextNodes,
            List<String> contextEndpoints) {
        List<NodeAddress> nodes = parse(nodesFlag.isEmpty() ? contextNodes : nodesFlag, "-n/--nodes");
        List<NodeAddress> endpoints = parse(endpointsFlag.isEmpty() ? contextEndpoints : endpointsFlag,
                "-e/--endpoints");
        if (!endpointsFlag.isEmpty() && !nodes.isEmpty()
                && !new LinkedHashSet<>(nodes).equals(new LinkedHashSet<>(endpoints))) {
            return new Route(nodes, Optional.of(endpoints.get(0)));
        }
        List<NodeAddress> targets = nodes.isEmpty() ? endpoints : nodes;
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no nodes: pass -n/--nodes or -e/--endpoints, or set nodes or endpoints "
                    + "in the kilnconfig context");
        }
        return new Route(targets, Optional.empty());
    }

    /** For commands that dial each node themselves: a relaying endpoint is refused naming the command. */
    static List<NodeAddress> direct(Route route, String command) {
        if (route.endpoint().isPresent()) {
            throw new IllegalArgumentException(command + " dials every node directly: pass the nodes alone with -n "
                    + "(-e/--endpoints " + route.endpoint().get() + " would relay to the nodes)");
        }
        return route.nodes();
    }

    private static List<NodeAddress> parse(List<String> addresses, String flag) {
        try {
            return addresses.stream().map(NodeAddress::parse).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }
}
