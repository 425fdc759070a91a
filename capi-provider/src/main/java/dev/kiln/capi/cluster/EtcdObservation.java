package dev.kiln.capi.cluster;

import dev.kiln.capi.cluster.MachineNodes.MachineNode;
import dev.kiln.machinery.cluster.EtcdView;
import dev.kiln.machinery.cluster.MemberView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a cluster's control-plane nodes said about etcd this pass.
 *
 * @param view              members with names matched to machines and health from each member's own status
 * @param leaderId          the leader's member id as the members report it; 0 when unknown
 * @param machineByMemberId the control-plane machine that runs each member, for members a machine runs
 * @param problem           why the member list could not be read, if it could not (the view is then empty)
 * @param raftByMemberId    each answering member's raft progress, as its own status reported it
 */
public record EtcdObservation(EtcdView view, long leaderId, Map<Long, ControlPlaneMachine> machineByMemberId,
        Optional<String> problem, Map<Long, RaftProgress> raftByMemberId) {

    /** A member's raft index (committed) and applied index; both 0 when the member does not report them. */
    public record RaftProgress(long raftIndex, long appliedIndex) {
    }

    public EtcdObservation {
        machineByMemberId = Map.copyOf(machineByMemberId);
        raftByMemberId = Map.copyOf(raftByMemberId);
    }

    public EtcdObservation(EtcdView view, long leaderId, Map<Long, ControlPlaneMachine> machineByMemberId,
            Optional<String> problem) {
        this(view, leaderId, machineByMemberId, problem, Map.of());
    }

    public static EtcdObservation unobserved(String problem) {
        return new EtcdObservation(EtcdView.empty(), 0, Map.of(), Optional.of(problem));
    }

    public Optional<RaftProgress> raft(long memberId) {
        return Optional.ofNullable(raftByMemberId.get(memberId));
    }

    public Optional<MemberView> member(String name) {
        return view.memberNamed(name);
    }

    public Optional<MemberView> member(long id) {
        return view.member(id);
    }

    public boolean leads(String memberName) {
        return leaderId != 0 && member(memberName).map(m -> m.id() == leaderId).orElse(false);
    }

    /** A voting member that answers healthy. */
    public boolean healthyVoter(String memberName) {
        return member(memberName).map(m -> m.healthy() && !m.learner()).orElse(false);
    }

    public boolean runsMember(String machineName) {
        return machineByMemberId.values().stream().anyMatch(machine -> machine.name().equals(machineName));
    }

    public Map<Long, String> machineNameByMemberId() {
        Map<Long, String> names = new HashMap<>();
        machineByMemberId.forEach((id, machine) -> names.put(id, machine.name()));
        return names;
    }

    /** Nodes of healthy voting members except {@code excludedMemberId}: the ones fit to commit a membership change. */
    public List<MachineNode> healthyVoterNodesExcept(long excludedMemberId) {
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
