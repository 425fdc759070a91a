package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.NodeAddress;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Which nodes a command dials, with talosctl's meaning of the flags: nodes are the targets, endpoints are where to
 * connect, and without nodes the endpoints themselves are the targets. Kiln nodes do not proxy a request to other
 * nodes yet, so an explicit {@code -e} that differs from {@code -n} is refused; a kilnconfig's endpoints only stand in
 * for missing nodes, and named nodes are dialled directly.
 */
final class Targets {

    private Targets() {
    }

    static List<NodeAddress> resolve(List<String> nodesFlag, List<String> endpointsFlag, List<String> contextNodes,
            List<String> contextEndpoints) {
        List<NodeAddress> nodes = parse(nodesFlag.isEmpty() ? contextNodes : nodesFlag, "-n/--nodes");
        List<NodeAddress> endpoints = parse(endpointsFlag.isEmpty() ? contextEndpoints : endpointsFlag,
                "-e/--endpoints");
        if (!endpointsFlag.isEmpty() && !nodes.isEmpty()
                && !new LinkedHashSet<>(nodes).equals(new LinkedHashSet<>(endpoints))) {
            throw new IllegalArgumentException("-e/--endpoints " + String.join(",", endpointsFlag)
                    + " differ from the nodes " + String.join(",", nodesFlag.isEmpty() ? contextNodes : nodesFlag)
                    + ": proxying through an endpoint to other nodes is not supported yet; "
                    + "pass the nodes alone with -n, each is dialled directly");
        }
        List<NodeAddress> targets = nodes.isEmpty() ? endpoints : nodes;
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no nodes: pass -n/--nodes or -e/--endpoints, or set nodes or endpoints "
                    + "in the kilnconfig context");
        }
        return targets;
    }

    private static List<NodeAddress> parse(List<String> addresses, String flag) {
        try {
            return addresses.stream().map(NodeAddress::parse).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }
}
