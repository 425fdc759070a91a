package dev.kiln.capi.cluster;

import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.cluster.EtcdView;
import dev.kiln.machinery.cluster.MemberView;
import java.net.URI;
import java.util.ArrayList;
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

    /** A control-plane machine as the reader sees it: its name (the member name) and its node, once it has one. */
    public record Candidate(String machineName, Optional<MachineNode> node, boolean askable) {
    }

    /** Either the members, or why they cannot be known this pass. */
    public sealed interface Result {

        /** The view for the planners, the leader as the members report it (0 if unknown), and who runs what. */
        record Known(EtcdView view, long leaderId, Map<Long, String> machineByMemberId) implements Result {
        }

        record Unknown(String reason) implements Result {
        }
    }

    private final NodeConnector nodes;

    public EtcdMembershipReader(NodeConnector nodes) {
        this.nodes = nodes;
    }

    /** {@code expectedClusterId} (hex), when known, keeps a node of some other etcd cluster from steering this one. */
    public Result read(List<Candidate> machines, Optional<String> expectedClusterId, NodeCredentials credentials) {
        List<String> failures = new ArrayList<>();
        for (Candidate asked : machines) {
            if (!asked.askable() || asked.node().isEmpty()) {
                continue;
            }
            NodeApi.MemberList list;
            try (NodeApi api = nodes.connect(asked.node().get().apiAddress(), credentials)) {
                list = api.members();
            } catch (NodeApiException e) {
                failures.add(asked.machineName() + ": " + e.getMessage());
                continue;
            }
            String reported = Long.toHexString(list.clusterId());
            if (expectedClusterId.isPresent() && !reported.equals(expectedClusterId.get())) {
                failures.add(asked.machineName() + " reports etcd cluster " + reported + ", not "
                        + expectedClusterId.get());
                continue;
            }
            return withHealth(list, machines, credentials);
        }
        return new Result.Unknown("no provisioned control-plane node listed the etcd members"
                + (failures.isEmpty() ? "" : " (" + String.join("; ", failures) + ")"));
    }

    private Result withHealth(NodeApi.MemberList list, List<Candidate> machines, NodeCredentials credentials) {
        Set<String> reportedNames = new HashSet<>();
        for (NodeApi.Member member : list.members()) {
            if (!member.name().isEmpty() && !reportedNames.add(member.name())) {
                return new Result.Unknown("etcd reports two members named " + member.name()
                        + "; fix by hand before any membership change");
            }
        }
        Map<String, Candidate> byName = new HashMap<>();
        machines.forEach(machine -> byName.put(machine.machineName(), machine));
        List<MemberView> views = new ArrayList<>();
        Map<Long, String> machineByMemberId = new HashMap<>();
        long leaderId = 0;
        for (NodeApi.Member member : list.members()) {
            String name = member.name().isEmpty() ? nameByPeerAddress(member, machines, reportedNames) : member.name();
            Candidate machine = byName.get(name);
            Optional<NodeApi.EtcdHealth> health = machine == null ? Optional.empty() : health(machine, credentials);
            boolean healthy = health.map(h -> h.healthy() && h.memberId() == member.id()
                    && h.clusterId() == list.clusterId()).orElse(false);
            if (leaderId == 0 && health.isPresent()) {
                leaderId = health.get().leaderId();
            }
            views.add(new MemberView(member.id(), name, member.learner(), healthy));
            if (machine != null) {
                machineByMemberId.put(member.id(), machine.machineName());
            }
        }
        try {
            return new Result.Known(new EtcdView(views), leaderId, machineByMemberId);
        } catch (IllegalArgumentException e) {
            return new Result.Unknown("the etcd member list cannot be matched to machines: " + e.getMessage());
        }
    }

    /** etcd names a member only once it starts; until then its peer URL tells which machine it was added for. */
    private static String nameByPeerAddress(NodeApi.Member member, List<Candidate> machines, Set<String> taken) {
        for (String peerUrl : member.peerUrls()) {
            String host = hostOf(peerUrl);
            for (Candidate machine : machines) {
                if (machine.node().isPresent() && machine.node().get().host().equals(host)
                        && !taken.contains(machine.machineName())) {
                    taken.add(machine.machineName());
                    return machine.machineName();
                }
            }
        }
        return "";
    }

    private Optional<NodeApi.EtcdHealth> health(Candidate machine, NodeCredentials credentials) {
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
