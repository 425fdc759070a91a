package dev.kiln.capi.etcd;

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
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the etcd membership through the machine API only (the operator never talks to etcd): the member list from
 * the first provisioned, non-deleting control-plane node that answers, and each member's health from its own node.
 * A member whose node cannot be asked counts as unhealthy, which only ever makes quorum checks stricter.
 */
final class EtcdReader {

    /** Either the members, or why they cannot be known this pass. */
    sealed interface Result {
        record Known(EtcdMembers members) implements Result {
        }

        record Unknown(String reason) implements Result {
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EtcdReader.class);

    private final NodeConnector nodes;

    EtcdReader(NodeConnector nodes) {
        this.nodes = nodes;
    }

    Result read(List<ControlPlaneMachine> machines, String etcdClusterId, NodeCredentials credentials) {
        for (ControlPlaneMachine asked : machines) {
            if (!asked.answersForEtcd()) {
                continue;
            }
            MachineNode node = asked.node().get();
            NodeApi.MemberList list;
            try (NodeApi api = nodes.connect(node.apiAddress(), credentials)) {
                list = api.members();
            } catch (NodeApiException e) {
                LOG.debug("machine {} did not answer the etcd member list: {} {}", asked.name(), e.kind(), e.getMessage());
                continue;
            }
            // A node serving some other etcd cluster must never steer this one's membership.
            if (!Long.toHexString(list.clusterId()).equals(etcdClusterId)) {
                LOG.warn("machine {} reports etcd cluster {}, but cluster {} was bootstrapped; ignoring its member list",
                        asked.name(), Long.toHexString(list.clusterId()), etcdClusterId);
                continue;
            }
            return toMembers(list, machines, etcdClusterId, credentials);
        }
        return new Result.Unknown("no provisioned control-plane node of etcd cluster " + etcdClusterId
                + " answered the etcd member list");
    }

    private Result toMembers(NodeApi.MemberList list, List<ControlPlaneMachine> machines, String etcdClusterId,
            NodeCredentials credentials) {
        Map<String, ControlPlaneMachine> byName = new HashMap<>();
        machines.forEach(m -> byName.put(m.name(), m));
        Set<String> reportedNames = new HashSet<>();
        for (NodeApi.Member member : list.members()) {
            if (!member.name().isEmpty() && !reportedNames.add(member.name())) {
                return new Result.Unknown("etcd reports two members named " + member.name()
                        + "; fix by hand before any membership change");
            }
        }
        List<MemberView> views = new ArrayList<>();
        Map<Long, ControlPlaneMachine> machineByMemberId = new HashMap<>();
        for (NodeApi.Member member : list.members()) {
            String name = member.name().isEmpty() ? nameByPeerAddress(member, machines, reportedNames) : member.name();
            ControlPlaneMachine machine = byName.get(name);
            boolean healthy = machine != null && healthy(machine, member.id(), etcdClusterId, credentials);
            views.add(new MemberView(member.id(), name, member.learner(), healthy));
            if (machine != null) {
                machineByMemberId.put(member.id(), machine);
            }
        }
        return new Result.Known(new EtcdMembers(new EtcdView(views), machineByMemberId));
    }

    /** etcd names a member only once it starts; until then its peer URL tells which machine it was added for. */
    private static String nameByPeerAddress(NodeApi.Member member, List<ControlPlaneMachine> machines,
            Set<String> takenNames) {
        for (String peerUrl : member.peerUrls()) {
            String host = hostOf(peerUrl);
            for (ControlPlaneMachine machine : machines) {
                if (machine.node().isPresent() && machine.node().get().host().equals(host)
                        && !takenNames.contains(machine.name())) {
                    takenNames.add(machine.name());
                    return machine.name();
                }
            }
        }
        return "";
    }

    private boolean healthy(ControlPlaneMachine machine, long memberId, String etcdClusterId,
            NodeCredentials credentials) {
        if (machine.node().isEmpty()) {
            return false;
        }
        try (NodeApi api = nodes.connect(machine.node().get().apiAddress(), credentials)) {
            NodeApi.EtcdHealth health = api.etcdStatus();
            return health.healthy() && health.memberId() == memberId
                    && Long.toHexString(health.clusterId()).equals(etcdClusterId);
        } catch (NodeApiException e) {
            return false;
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
