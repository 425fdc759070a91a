package dev.kiln.machinery.cluster;

import dev.kiln.machinery.cluster.PlannedStep.Join;
import dev.kiln.machinery.cluster.PlannedStep.LeaveBeforeDelete;
import dev.kiln.machinery.cluster.PlannedStep.Promote;
import dev.kiln.machinery.cluster.PlannedStep.ReleaseHook;
import dev.kiln.machinery.cluster.PlannedStep.RemoveStaleMember;
import dev.kiln.machinery.cluster.ScaleDecision.RollOut;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleDown;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleUp;
import java.util.ArrayList;
import java.util.List;

/** A mutable stand-in for the world: applying a step does what the operator and nodes would do, instantly. */
final class ClusterModel {

    final List<MachineView> machines = new ArrayList<>();
    final List<MemberView> members = new ArrayList<>();
    private long nextMemberId = 0x100;
    private long nextOrder = 0x100;
    private int created;

    ClusterModel machine(MachineView m) {
        machines.add(m);
        return this;
    }

    ClusterModel member(MemberView m) {
        members.add(m);
        return this;
    }

    /** {@code count} ready control-plane machines, each running a healthy voter named after it. */
    static ClusterModel healthy(int count) {
        ClusterModel model = new ClusterModel();
        for (int i = 0; i < count; i++) {
            String name = "cp-" + i;
            model.machine(MachineView.controlPlane(name, i)).member(MemberView.voter(i + 1, name));
        }
        return model;
    }

    PlanInput planInput() {
        return new PlanInput(machines, new EtcdView(members));
    }

    ScaleInput scaleInput(int desired, int maxSurge) {
        return new ScaleInput(desired, maxSurge, machines, new EtcdView(members));
    }

    /** Applies an actionable step; returns false for Wait and Converged. */
    boolean apply(PlannedStep step) {
        if (step instanceof Join join) {
            MachineView m = machineNamed(join.machineName());
            members.add(MemberView.learner(nextMemberId++, m.memberName().orElseThrow()));
            return true;
        }
        if (step instanceof Promote promote) {
            int i = indexOfMember(promote.memberId());
            members.set(i, members.get(i).promoted());
            return true;
        }
        if (step instanceof RemoveStaleMember remove) {
            members.remove(indexOfMember(remove.memberId()));
            return true;
        }
        if (step instanceof LeaveBeforeDelete leave) {
            members.remove(indexOfMember(leave.memberId()));
            return true;
        }
        if (step instanceof ReleaseHook release) {
            machines.remove(machineNamed(release.machineName()));
            return true;
        }
        return false;
    }

    /** Applies a machine change; returns false for decisions that change nothing. */
    boolean apply(ScaleDecision decision) {
        if (decision instanceof ScaleUp up) {
            for (int i = 0; i < up.count(); i++) {
                machines.add(MachineView.controlPlane("new-" + created++, nextOrder++));
            }
            return true;
        }
        if (decision instanceof ScaleDown down) {
            markDeleting(down.machineName());
            return true;
        }
        if (decision instanceof RollOut rollOut) {
            markDeleting(rollOut.machineName());
            return true;
        }
        return false;
    }

    void markDeleting(String name) {
        MachineView m = machineNamed(name);
        machines.set(machines.indexOf(m), m.withDeleting(true));
    }

    MachineView machineNamed(String name) {
        for (MachineView m : machines) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    MemberView memberWithId(long id) {
        for (MemberView m : members) {
            if (m.id() == id) {
                return m;
            }
        }
        return null;
    }

    private int indexOfMember(long id) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).id() == id) {
                return i;
            }
        }
        throw new AssertionError("no member " + Long.toHexString(id) + " in " + this);
    }

    /** The control-plane machine whose member name is this member's name; null for none or an unnamed member. */
    MachineView machineRunning(MemberView member) {
        if (member.name().isEmpty()) {
            return null;
        }
        for (MachineView m : machines) {
            if (m.isControlPlane() && m.memberName().isPresent() && m.memberName().get().equals(member.name())) {
                return m;
            }
        }
        return null;
    }

    MemberView memberOf(MachineView machine) {
        if (machine.memberName().isEmpty()) {
            return null;
        }
        for (MemberView m : members) {
            if (m.name().equals(machine.memberName().get())) {
                return m;
            }
        }
        return null;
    }

    /** Health as the rules define it, computed here without the production code. */
    boolean countsHealthy(MemberView member) {
        if (!member.healthy() || member.name().isEmpty()) {
            return false;
        }
        MachineView m = machineRunning(member);
        return m == null || !m.failed();
    }

    int voters() {
        int n = 0;
        for (MemberView m : members) {
            if (!m.learner()) {
                n++;
            }
        }
        return n;
    }

    int healthyVoters() {
        int n = 0;
        for (MemberView m : members) {
            if (!m.learner() && countsHealthy(m)) {
                n++;
            }
        }
        return n;
    }

    boolean hasLearner() {
        for (MemberView m : members) {
            if (m.learner()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("machines=[");
        for (MachineView m : machines) {
            b.append(m.name()).append('{').append(m.role() == MachineRole.WORKER ? "worker " : "")
                    .append(m.ready() ? "" : "notReady ").append(m.deleting() ? "deleting " : "")
                    .append(m.failed() ? "failed " : "").append(m.hasPreTerminateHook() ? "hook " : "")
                    .append(m.outdated() ? "outdated " : "").append(m.markedForDeletion() ? "annotated " : "")
                    .append("member=").append(m.memberName().orElse("?")).append("} ");
        }
        b.append("] members=[");
        for (MemberView m : members) {
            b.append(m.describe()).append(m.learner() ? " learner" : " voter")
                    .append(m.healthy() ? " healthy" : " unhealthy").append("; ");
        }
        return b.append(']').toString();
    }
}
