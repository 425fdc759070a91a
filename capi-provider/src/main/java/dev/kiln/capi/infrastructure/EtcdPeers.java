package dev.kiln.capi.infrastructure;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The etcd client URLs a control-plane node is told about (those of its cluster's other control-plane servers), and
 * when its config may go. Control-plane machines are created all at once and etcd is bootstrapped on the oldest live
 * one (BootstrapPlanner). The oldest's config goes at once; every other machine's goes as soon as every live
 * control-plane machine has a server, so that it names all of them, whichever is bootstrapped, or once one of them is
 * provisioned and so serves or will serve etcd. All nodes then reboot into configured mode side by side.
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
     * (the one etcd is bootstrapped on), every live control-plane machine has a server and so is named as a peer, or
     * another live control-plane machine is provisioned and so is a peer that serves or will serve etcd.
     */
    static Optional<String> mustWait(String self, List<ControlPlaneMachine> controlPlane) {
        List<ControlPlaneMachine> live = controlPlane.stream().filter(ControlPlaneMachine::live).toList();
        boolean peerProvisioned = live.stream()
                .anyMatch(m -> !m.machineName().equals(self) && m.provisioned() && m.serverAddress() != null);
        if (peerProvisioned) {
            return Optional.empty();
        }
        Optional<ControlPlaneMachine> first = live.stream().min(OLDEST_FIRST);
        if (first.isEmpty() || first.get().machineName().equals(self)) {
            return Optional.empty();
        }
        List<String> serverless = live.stream().filter(m -> m.serverAddress() == null)
                .map(ControlPlaneMachine::machineName).sorted().toList();
        if (serverless.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("etcd is bootstrapped on control-plane machine " + first.get().machineName() + ", the "
                + "oldest; this machine's config goes once every control-plane machine has a server, so that it names "
                + "each as a peer (" + String.join(", ", serverless) + " has none yet), or once one is provisioned");
    }
}
