package dev.kiln.node.api.proxy;

import dev.kiln.machinery.client.NodeAddress;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Where a call goes, decided from its {@code nodes} metadata before anything is dialled. */
public sealed interface RelayPlan {

    /** At most this many targets per call, so one call cannot make a node open unbounded connections. */
    int MAX_TARGETS = 64;

    /** Served by this node as a direct call. */
    record Local() implements RelayPlan {
    }

    /** Relayed to each target, the replies merged. */
    record Fanout(List<RelayTarget> targets) implements RelayPlan {
        public Fanout {
            targets = List.copyOf(targets);
        }
    }

    record Refused(Status.Code code, String message) implements RelayPlan {
        public Status status() {
            return Status.fromCode(code).withDescription(message);
        }
    }

    /** The names and port this node answers to; a target naming one of them at that port is this node. */
    record Self(Set<String> hosts, int port) {
        public Self {
            hosts = Set.copyOf(hosts);
        }

        boolean is(NodeAddress address) {
            return address.port() == port && hosts.contains(address.host());
        }
    }

    /** How a method's replies can be merged. */
    enum Shape {
        /** Unary, its response a list of {@code messages} that each carry {@code common.Metadata}. */
        MERGED_UNARY,
        /** Server-streaming, each message carrying {@code common.Metadata}. */
        TAGGED_STREAM,
        /** Served by one node only (a snapshot's bytes, an upload). */
        NOT_RELAYED
    }

    /**
     * @param nodes the values of the call's {@code nodes} metadata, each one address or several separated by commas
     * @param relayed the call came from another node relaying it
     * @param canRelay this node holds a node identity (false in maintenance mode)
     */
    static RelayPlan plan(List<String> nodes, String method, Shape shape, Self self, boolean relayed,
            boolean canRelay) {
        return plan(nodes, method, shape, self, relayed,
                canRelay ? java.util.Optional.empty() : java.util.Optional.of(MAINTENANCE));
    }

    static final String MAINTENANCE = "maintenance mode: this node relays no calls";

    /** @param cannotRelay why this node relays no calls, when it cannot */
    static RelayPlan plan(List<String> nodes, String method, Shape shape, Self self, boolean relayed,
            java.util.Optional<String> cannotRelay) {
        Map<NodeAddress, RelayTarget> targets = new LinkedHashMap<>();
        for (String value : nodes) {
            for (String name : value.split(",", -1)) {
                String trimmed = name.trim();
                if (trimmed.isEmpty()) {
                    return invalid("nodes metadata: empty node address in '" + value + "'");
                }
                NodeAddress address;
                try {
                    address = NodeAddress.parse(trimmed);
                } catch (IllegalArgumentException e) {
                    return invalid("nodes metadata: " + e.getMessage());
                }
                targets.putIfAbsent(address, new RelayTarget(trimmed, address));
            }
        }
        if (targets.keySet().stream().allMatch(self::is)) {
            return new Local();
        }
        if (relayed) {
            return new Refused(Status.Code.FAILED_PRECONDITION, "a relayed call is served only by the node it "
                    + "reaches: one hop, so its nodes metadata may name only this node");
        }
        if (cannotRelay.isPresent()) {
            return new Refused(Status.Code.FAILED_PRECONDITION, cannotRelay.get() + "; dial the node directly");
        }
        if (shape == Shape.NOT_RELAYED) {
            return new Refused(Status.Code.UNIMPLEMENTED, method + " is served only by the node dialled: "
                    + "dial that node directly, without nodes metadata");
        }
        if (targets.size() > MAX_TARGETS) {
            return invalid("nodes metadata: " + targets.size() + " nodes, at most " + MAX_TARGETS + " per call");
        }
        return new Fanout(new ArrayList<>(targets.values()));
    }

    private static Refused invalid(String message) {
        return new Refused(Status.Code.INVALID_ARGUMENT, message);
    }
}
