package dev.kiln.capi.bootstrap;

import dev.kiln.capi.cluster.KilnServerAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The etcd client URLs a control-plane config names (those of its cluster's other control-plane servers), and when it
 * may be rendered. etcd is bootstrapped on the oldest ready live control-plane machine (BootstrapPlanner), so a
 * config that goes must name every machine that could be chosen: either all desired control-plane machines exist and
 * hold servers, so that all configs go side by side and each names all the others, or a peer is already provisioned.
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
                .map(KilnServerAddress::etcdClientUrl)
                .distinct()
                .sorted()
                .toList();
    }

    /**
     * Why {@code self}'s config must wait, or empty when it may go now: it is the oldest live control-plane machine,
     * or another live control-plane machine is provisioned and so is a peer, or all {@code desiredReplicas} live
     * control-plane machines exist and hold servers, so that this config names whichever of them etcd starts on.
     *
     * @param desiredReplicas how many control-plane machines the cluster's control plane wants; empty when no
     *                        KilnControlPlane says so, and then the other configs wait for a provisioned peer
     */
    static Optional<String> mustWait(String self, OptionalInt desiredReplicas,
            List<ControlPlaneMachine> controlPlane) {
        boolean peerProvisioned = controlPlane.stream()
                .anyMatch(m -> !m.machineName().equals(self) && m.live() && m.provisioned() && m.serverAddress() != null);
        if (peerProvisioned) {
            return Optional.empty();
        }
        List<ControlPlaneMachine> live = controlPlane.stream().filter(ControlPlaneMachine::live).toList();
        Optional<ControlPlaneMachine> first = live.stream().min(OLDEST_FIRST);
        if (first.isEmpty() || first.get().machineName().equals(self)) {
            return Optional.empty();
        }
        if (desiredReplicas.isPresent() && live.size() >= desiredReplicas.getAsInt()) {
            List<String> withoutServer = live.stream().filter(m -> m.serverAddress() == null)
                    .map(ControlPlaneMachine::machineName).sorted().toList();
            if (withoutServer.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("control-plane machines " + String.join(", ", withoutServer) + " have no server yet; "
                    + "this machine's config goes once every control-plane machine has one, so that it names them all");
        }
        List<String> withoutServer = live.stream().filter(m -> m.serverAddress() == null)
                .map(ControlPlaneMachine::machineName).sorted().toList();
        return Optional.of("control-plane machine " + first.get().machineName() + " is the first and etcd is "
                + "bootstrapped on it; this machine's config goes once " + desiredReplicas.stream()
                        .mapToObj(n -> "all " + n + " control-plane machines exist and hold servers, or ")
                        .findFirst().orElse("")
                + "a control-plane machine is provisioned, so that it names a peer to join"
                + (withoutServer.isEmpty() ? "" : "; without a server yet: " + String.join(", ", withoutServer)));
    }
}
