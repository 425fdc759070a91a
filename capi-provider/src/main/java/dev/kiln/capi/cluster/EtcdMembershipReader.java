package dev.kiln.capi.cluster;

import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.node.NodeFanOut;
import dev.kiln.machinery.cluster.EtcdView;
import dev.kiln.machinery.cluster.MemberView;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Learns a cluster's etcd membership through the machine API only (the operator never talks to etcd): the member
 * list from the first askable control-plane node that answers, and each member's health from its own node. A member
 * whose node cannot be asked counts as unhealthy, which only ever makes quorum checks stricter.
 */
public final class EtcdMembershipReader {

    /** Which machines are asked for the member list; only provisioned ones with a node ever are. */
    public enum Askers {
        /** Machines not being deleted, oldest first. */
        STAYING,
        /** Machines that stay first, then those being deleted, which may be leaving etcd. */
        STAYING_THEN_LEAVING
    }

    private final NodeConnector nodes;

    public EtcdMembershipReader(NodeConnector nodes) {
        this.nodes = nodes;
    }

    /** {@code expectedClusterId} (hex), when known, keeps a node of some other etcd cluster from steering this one. */
    public EtcdObservation read(List<ControlPlaneMachine> machines, Askers askers, Optional<String> expectedClusterId,
            NodeCredentials credentials) {
        List<ControlPlaneMachine> asked = machines.stream()
                .filter(m -> m.node().isPresent() && m.provisioned()
                        && (askers == Askers.STAYING_THEN_LEAVING || !m.deleting()))
                .sorted(Comparator.comparing(ControlPlaneMachine::deleting)
                        .thenComparingLong(ControlPlaneMachine::creationOrder)
                        .thenComparing(ControlPlaneMachine::name))
                .toList();
        if (asked.isEmpty()) {
            return EtcdObservation.unobserved("no provisioned control-plane machine to ask for the etcd members");
        }
        List<String> failures = new ArrayList<>();
        for (ControlPlaneMachine machine : asked) {
            NodeApi.MemberList list;
            try (NodeApi api = nodes.connect(machine.node().get().apiAddress(), credentials)) {
                list = api.members();
            } catch (NodeApiException e) {
                failures.add(machine.name() + ": " + e.getMessage());
                continue;
            }
            String reported = Long.toHexString(list.clusterId());
            if (expectedClusterId.isPresent() && !reported.equals(expectedClusterId.get())) {
                failures.add(machine.name() + " reports etcd cluster " + reported + ", not "
                        + expectedClusterId.get());
                continue;
            }
            return withHealth(list, machines, credentials);
        }
        return EtcdObservation.unobserved("no provisioned control-plane node listed the etcd members ("
                + String.join("; ", failures) + ")");
    }

    private EtcdObservation withHealth(NodeApi.MemberList list, List<ControlPlaneMachine> machines,
            NodeCredentials credentials) {
        Set<String> reportedNames = new HashSet<>();
        for (NodeApi.Member member : list.members()) {
            if (!member.name().isEmpty() && !reportedNames.add(member.name())) {
                return EtcdObservation.unobserved("etcd reports two members named " + member.name()
                        + "; fix by hand before any membership change");
            }
        }
        Map<String, ControlPlaneMachine> byName = new HashMap<>();
        machines.forEach(machine -> byName.put(machine.memberName(), machine));
        List<MemberView> views = new ArrayList<>();
        Map<Long, ControlPlaneMachine> machineByMemberId = new HashMap<>();
        Map<Long, EtcdObservation.RaftProgress> raft = new HashMap<>();
        long leaderId = 0;
        List<String> names = new ArrayList<>();
        for (NodeApi.Member member : list.members()) {
            names.add(member.name().isEmpty() ? nameByPeerAddress(member, machines, reportedNames) : member.name());
        }
        List<Optional<NodeApi.EtcdHealth>> healths = NodeFanOut.askEach(names, name -> byName.containsKey(name)
                ? health(byName.get(name), credentials) : Optional.empty());
        for (int i = 0; i < list.members().size(); i++) {
            NodeApi.Member member = list.members().get(i);
            String name = names.get(i);
            ControlPlaneMachine machine = byName.get(name);
            Optional<NodeApi.EtcdHealth> health = healths.get(i);
            boolean healthy = health.map(h -> h.healthy() && h.memberId() == member.id()
                    && h.clusterId() == list.clusterId()).orElse(false);
            if (leaderId == 0 && health.isPresent()) {
                leaderId = health.get().leaderId();
            }
            if (healthy) {
                raft.put(member.id(), new EtcdObservation.RaftProgress(health.get().raftIndex(),
                        health.get().raftAppliedIndex()));
            }
            views.add(new MemberView(member.id(), name, member.learner(), healthy));
            if (machine != null) {
                machineByMemberId.put(member.id(), machine);
            }
        }
        try {
            return new EtcdObservation(new EtcdView(views), leaderId, machineByMemberId, Optional.empty(), raft);
        } catch (IllegalArgumentException e) {
            return EtcdObservation.unobserved("the etcd member list cannot be matched to machines: " + e.getMessage());
        }
    }

    /** etcd names a member only once it starts; until then its peer URL tells which machine it was added for. */
    private static String nameByPeerAddress(NodeApi.Member member, List<ControlPlaneMachine> machines,
            Set<String> taken) {
        for (String peerUrl : member.peerUrls()) {
            String host = hostOf(peerUrl);
            for (ControlPlaneMachine machine : machines) {
                if (machine.node().isPresent() && machine.node().get().host().equals(host)
                        && !taken.contains(machine.memberName())) {
                    taken.add(machine.memberName());
                    return machine.memberName();
                }
            }
        }
        return "";
    }

    private Optional<NodeApi.EtcdHealth> health(ControlPlaneMachine machine, NodeCredentials credentials) {
        if (machine.node().isEmpty()) {
            return Optional.empty();
        }
        try (NodeApi api = nodes.connect(machine.node().get().apiAddress(), credentials)) {
            return Optional.of(api.etcdStatus());
        } catch (NodeApiException e) {
            return Optional.empty();
        }
    }

    private static String hostOf(String url) {
        try {
            String host = URI.create(url).getHost();
            return host == null ? "" : host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
