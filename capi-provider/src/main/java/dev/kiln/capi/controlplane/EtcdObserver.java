package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApi.EtcdHealth;
import dev.kiln.capi.node.NodeApi.Member;
import dev.kiln.capi.node.NodeApi.MemberList;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.cluster.EtcdView;
import dev.kiln.machinery.cluster.MemberView;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads the etcd member list from one provisioned control-plane node and each member's health from its own node.
 * A member whose node cannot be reached, or that no machine runs, counts as unhealthy.
 */
final class EtcdObserver {

    private final NodeConnector connector;

    EtcdObserver(NodeConnector connector) {
        this.connector = connector;
    }

    EtcdObservation observe(List<ControlPlaneMachine> machines, Optional<NodeCredentials> credentials) {
        if (credentials.isEmpty()) {
            return EtcdObservation.unobserved("the cluster's secrets bundle does not exist yet, so no node can be "
                    + "asked");
        }
        List<ControlPlaneMachine> askable = askable(machines);
        if (askable.isEmpty()) {
            return EtcdObservation.unobserved("no provisioned control-plane machine to ask for the etcd members");
        }
        List<String> failures = new ArrayList<>();
        for (ControlPlaneMachine source : askable) {
            try (NodeApi api = connector.connect(source.node().orElseThrow().apiAddress(), credentials.get())) {
                MemberList list = api.members();
                return withHealth(list, machines, credentials.get());
            } catch (RuntimeException e) {
                failures.add(source.name() + ": " + e.getMessage());
            }
        }
        return EtcdObservation.unobserved("no control-plane node listed the etcd members ("
                + String.join("; ", failures) + ")");
    }

    /** Provisioned machines with a known address, the ones staying first: a deleting one may be leaving etcd. */
    private static List<ControlPlaneMachine> askable(List<ControlPlaneMachine> machines) {
        return machines.stream()
                .filter(m -> m.provisioned() && m.node().isPresent())
                .sorted(Comparator.comparing(ControlPlaneMachine::deleting)
                        .thenComparingLong(ControlPlaneMachine::creationOrder))
                .toList();
    }

    private EtcdObservation withHealth(MemberList list, List<ControlPlaneMachine> machines,
            NodeCredentials credentials) {
        List<MemberView> members = new ArrayList<>();
        long leaderId = 0;
        for (Member member : list.members()) {
            Optional<ControlPlaneMachine> runner = runnerOf(member, machines);
            String name = runner.map(ControlPlaneMachine::memberName).orElse(member.name());
            Optional<EtcdHealth> health = runner.flatMap(m -> m.node()).flatMap(n -> health(n, credentials));
            boolean healthy = health.map(h -> h.healthy() && h.memberId() == member.id()).orElse(false);
            if (leaderId == 0 && health.isPresent()) {
                leaderId = health.get().leaderId();
            }
            members.add(new MemberView(member.id(), name, member.learner(), healthy));
        }
        try {
            return new EtcdObservation(new EtcdView(members), leaderId, Optional.empty());
        } catch (IllegalArgumentException e) {
            return EtcdObservation.unobserved("the etcd member list cannot be matched to machines: " + e.getMessage());
        }
    }

    /** The machine whose node address is the member's peer address; failing that, the machine named like it. */
    private static Optional<ControlPlaneMachine> runnerOf(Member member, List<ControlPlaneMachine> machines) {
        for (ControlPlaneMachine m : machines) {
            if (m.node().isPresent() && member.peerUrls().stream().anyMatch(url -> sameHost(url, m.node().get()))) {
                return Optional.of(m);
            }
        }
        return machines.stream().filter(m -> !member.name().isEmpty() && m.memberName().equals(member.name()))
                .findFirst();
    }

    private static boolean sameHost(String peerUrl, MachineNode node) {
        try {
            return node.host().equals(URI.create(peerUrl).getHost());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Optional<EtcdHealth> health(MachineNode node, NodeCredentials credentials) {
        try (NodeApi api = connector.connect(node.apiAddress(), credentials)) {
            return Optional.of(api.etcdStatus());
        } catch (RuntimeException e) {
            // Unreachable or not serving etcd: the member counts as unhealthy.
            return Optional.empty();
        }
    }
}
