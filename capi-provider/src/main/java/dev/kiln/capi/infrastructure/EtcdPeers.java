package dev.kiln.capi.infrastructure;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The etcd client URLs a control-plane node is told about (those of its cluster's other control-plane servers), and
 * when its config may go. Control-plane machines are created all at once; etcd is bootstrapped on the oldest live
 * one (BootstrapPlanner), so every other machine's config waits until some live control-plane machine is
 * provisioned and then names it, and the node always has a peer that serves or will serve etcd.
 */
final class EtcdPeers {

    /**
     * A control-plane machine of the cluster.
     *
     * @param serverAddress the machine API address of its server, null while it has none
     * @param creationOrder grows with creation time; ties are broken by name, as the bootstrap planner does
     * @param live          neither deleting nor failed
     * @param provisioned   its node is configured and answers over mutual TLS
     */
    record ControlPlaneMachine(String machineName, String serverAddress, long creationOrder, boolean live,
            boolean provisioned) {

        ControlPlaneMachine(String machineName, String serverAddress) {
            this(machineName, serverAddress, 0, true, serverAddress != null);
        }
    }

    private static final Comparator<ControlPlaneMachine> OLDEST_FIRST = Comparator
            .comparingLong(ControlPlaneMachine::creationOrder).thenComparing(ControlPlaneMachine::machineName);

    private EtcdPeers() {
    }

    static List<String> clientUrls(String self, List<ControlPlaneMachine> controlPlane) {
        return controlPlane.stream()
                .filter(machine -> !machine.machineName().equals(self))
                .map(ControlPlaneMachine::serverAddress)
                .filter(Objects::nonNull)
                .map(ServerAddress::etcdClientUrl)
                .distinct()
                .sorted()
                .toList();
    }

    /**
     * Why {@code self}'s config must wait, or empty when it may go now: it is the oldest live control-plane machine
     * (the one etcd is bootstrapped on), or another live control-plane machine is provisioned and so is a peer.
     */
    static Optional<String> mustWait(String self, List<ControlPlaneMachine> controlPlane) {
        boolean peerProvisioned = controlPlane.stream()
                .anyMatch(m -> !m.machineName().equals(self) && m.live() && m.provisioned() && m.serverAddress() != null);
        if (peerProvisioned) {
            return Optional.empty();
        }
        Optional<ControlPlaneMachine> first = controlPlane.stream().filter(ControlPlaneMachine::live).min(OLDEST_FIRST);
        if (first.isEmpty() || first.get().machineName().equals(self)) {
            return Optional.empty();
        }
        return Optional.of("control-plane machine " + first.get().machineName() + " is the first and etcd is "
                + "bootstrapped on it; this machine's config goes once a control-plane machine is provisioned, so that "
                + "it names a peer to join");
    }
}
