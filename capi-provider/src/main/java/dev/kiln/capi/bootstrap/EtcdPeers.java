package dev.kiln.capi.bootstrap;

import dev.kiln.capi.cluster.KilnServerAddress;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The etcd client URLs a control-plane config names (those of its cluster's other control-plane servers), and when it
 * may be rendered. etcd is bootstrapped on the oldest ready live control-plane machine (BootstrapPlanner), which need
 * not be the oldest live one, so a config must name every machine that could be chosen: either all desired
 * control-plane machines exist and hold servers, so that every config names all the others, or a peer is already
 * provisioned. Only when no free server is left for a sibling, or no KilnControlPlane says how many are wanted, does the
 * oldest machine's config go naming fewer, so that the cluster forms at all.
 */
final class EtcdPeers {

    /**
     * A control-plane machine of the cluster.
     *
     * @param serverAddress the machine API address of its server, null while it has none
     * @param creationOrder grows with creation time; ties are broken by name, as the bootstrap planner does
     * @param live          neither deleting nor failed
     * @param provisioned   its node is configured and answers over mutual TLS
     * @param noFreeServer  it holds no server and its KilnMachine found none free to claim
     */
    record ControlPlaneMachine(String machineName, String serverAddress, long creationOrder, boolean live,
            boolean provisioned, boolean noFreeServer) {

        ControlPlaneMachine(String machineName, String serverAddress, long creationOrder, boolean live,
                boolean provisioned) {
            this(machineName, serverAddress, creationOrder, live, provisioned, false);
        }

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
     * Why {@code self}'s config must wait, or empty when it may go now: another live control-plane machine is
     * provisioned and so is a peer; or all {@code desiredReplicas} live control-plane machines exist and hold servers,
     * so that this config names whichever of them etcd starts on; or it is the oldest live control-plane machine and
     * either no KilnControlPlane gives {@code desiredReplicas} or every desired machine exists and those without a
     * server have none free to claim.
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
        if (first.isEmpty()) {
            return Optional.empty();
        }
        boolean oldest = first.get().machineName().equals(self);
        if (desiredReplicas.isEmpty()) {
            return oldest ? Optional.empty() : Optional.of(waitingForTheFirst(first.get(), desiredReplicas, live));
        }
        int desired = desiredReplicas.getAsInt();
        List<String> withoutServer = names(live.stream().filter(m -> m.serverAddress() == null));
        if (live.size() >= desired && withoutServer.isEmpty()) {
            return Optional.empty();
        }
        if (!oldest) {
            if (live.size() >= desired) {
                return Optional.of("control-plane machines " + String.join(", ", withoutServer) + " have no server "
                        + "yet; this machine's config goes once every control-plane machine has one, so that it names "
                        + "them all");
            }
            return Optional.of(waitingForTheFirst(first.get(), desiredReplicas, live));
        }
        List<String> mayStillClaim = names(live.stream().filter(m -> m.serverAddress() == null && !m.noFreeServer()));
        if (live.size() >= desired && mayStillClaim.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of((live.size() < desired ? live.size() + " of " + desired + " control-plane machines exist"
                : "control-plane machines " + String.join(", ", mayStillClaim) + " have no server yet")
                + "; the first machine's config goes once every control-plane machine exists and holds a server (or "
                + "finds none free), so that it names the machine etcd is bootstrapped on");
    }

    private static String waitingForTheFirst(ControlPlaneMachine first, OptionalInt desiredReplicas,
            List<ControlPlaneMachine> live) {
        List<String> withoutServer = names(live.stream().filter(m -> m.serverAddress() == null));
        return "control-plane machine " + first.machineName() + " is the first and etcd is "
                + "bootstrapped on it; this machine's config goes once " + desiredReplicas.stream()
                        .mapToObj(n -> "all " + n + " control-plane machines exist and hold servers, or ")
                        .findFirst().orElse("")
                + "a control-plane machine is provisioned, so that it names a peer to join"
                + (withoutServer.isEmpty() ? "" : "; without a server yet: " + String.join(", ", withoutServer));
    }

    private static List<String> names(Stream<ControlPlaneMachine> machines) {
        return machines.map(ControlPlaneMachine::machineName).sorted().toList();
    }
}
