package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.machinery.cluster.EtcdView;
import dev.kiln.machinery.cluster.MemberView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The etcd member list of a cluster, with each member's health and the control-plane machine that runs it, if any. */
final class EtcdMembers {

    private final EtcdView view;
    private final Map<Long, ControlPlaneMachine> machineByMemberId;

    EtcdMembers(EtcdView view, Map<Long, ControlPlaneMachine> machineByMemberId) {
        this.view = view;
        this.machineByMemberId = Map.copyOf(machineByMemberId);
    }

    EtcdView view() {
        return view;
    }

    Optional<MemberView> member(long id) {
        return view.member(id);
    }

    boolean runsMember(String machineName) {
        return machineByMemberId.values().stream().anyMatch(machine -> machine != null && machine.name().equals(machineName));
    }

    /** Nodes of healthy voting members except {@code excludedMemberId}: the ones fit to commit a membership change. */
    List<MachineNode> healthyVoterNodesExcept(long excludedMemberId) {
        List<MachineNode> nodes = new ArrayList<>();
        for (MemberView member : view.members()) {
            ControlPlaneMachine machine = machineByMemberId.get(member.id());
            if (member.id() != excludedMemberId && !member.learner() && member.healthy() && machine != null
                    && machine.node().isPresent()) {
                nodes.add(machine.node().get());
            }
        }
        return nodes;
    }
}
