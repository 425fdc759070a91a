package dev.kiln.machinery.cluster;

import dev.kiln.machinery.cluster.MembershipChange.AddLearner;
import dev.kiln.machinery.cluster.MembershipChange.PromoteLearner;
import dev.kiln.machinery.cluster.MembershipChange.RemoveMember;
import dev.kiln.machinery.cluster.PlannedStep.Converged;
import dev.kiln.machinery.cluster.PlannedStep.Join;
import dev.kiln.machinery.cluster.PlannedStep.LeaveBeforeDelete;
import dev.kiln.machinery.cluster.PlannedStep.Promote;
import dev.kiln.machinery.cluster.PlannedStep.ReleaseHook;
import dev.kiln.machinery.cluster.PlannedStep.RemoveStaleMember;
import dev.kiln.machinery.cluster.PlannedStep.ReplaceMachine;
import dev.kiln.machinery.cluster.PlannedStep.Wait;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Plans at most one etcd membership step per pass (I2, I3).
 *
 * <p>Health is counted as reported, except that members of failed machines and members without a name count as
 * unhealthy. Each candidate change must pass {@link Quorum#check}; an unsafe candidate is skipped in favour of the
 * next one, and {@link Wait} carries the reason of the first skipped one when nothing else is possible.
 *
 * <p>Priority:
 * <ol>
 *   <li>Learners (a join in flight): remove a learner whose machine is deleting ({@link LeaveBeforeDelete}) or
 *       absent ({@link RemoveStaleMember}); else promote a healthy learner of a live machine; else wait. Nothing
 *       else happens while a learner exists.</li>
 *   <li>{@link LeaveBeforeDelete} for deleting machines whose voter is still present, unhealthy members first.</li>
 *   <li>{@link RemoveStaleMember} for voters no control-plane machine runs, unhealthy first, then by id.</li>
 *   <li>{@link ReleaseHook} for deleting machines whose member is gone: touches no etcd state and lets the deletion
 *       (and with it the next scale step) finish.</li>
 *   <li>{@link ReplaceMachine} for a live machine without a member whose node reports its member removed: such a
 *       node never rejoins by itself, and deleting a machine that runs no member cannot cost quorum.</li>
 *   <li>{@link Join} for the oldest ready, live machine without a member; failed machines never join.</li>
 *   <li>{@link Converged}.</li>
 * </ol>
 * Removals come before joins so a replacement never leaves one member too many at rest.
 */
public final class MembershipPlanner {

    private static final Converged CONVERGED = new Converged();

    private static final Comparator<MemberView> UNHEALTHY_FIRST_THEN_ID =
            Comparator.comparing(MemberView::healthy).thenComparing(MemberView::id, Long::compareUnsigned);

    private MembershipPlanner() {
    }

    public static PlannedStep plan(PlanInput input) {
        ControlPlane cp = ControlPlane.of(input.machines(), input.etcd());
        List<MemberView> learners = new ArrayList<>();
        for (MemberView m : cp.etcd.members()) {
            if (m.learner()) {
                learners.add(m);
            }
        }
        if (!learners.isEmpty()) {
            learners.sort(Comparator.comparing(MemberView::id, Long::compareUnsigned));
            return finishJoinInFlight(cp, learners);
        }
        List<String> blocked = new ArrayList<>();
        PlannedStep step = leaveBeforeDelete(cp, blocked);
        if (step == null) {
            step = removeStaleMember(cp, blocked);
        }
        if (step == null) {
            step = releaseHook(cp);
        }
        if (step == null) {
            step = replaceRemoved(cp, input.removedFromEtcd());
        }
        if (step == null) {
            step = join(cp, blocked);
        }
        if (step != null) {
            return step;
        }
        return blocked.isEmpty() ? CONVERGED : new Wait(blocked.get(0));
    }

    private static PlannedStep finishJoinInFlight(ControlPlane cp, List<MemberView> learners) {
        List<String> blocked = new ArrayList<>();
        // An abandoned learner would block every later join, and removing a learner never changes the voting set.
        for (MemberView learner : learners) {
            MachineView owner = cp.machineOf(learner);
            PlannedStep removal = null;
            if (owner == null) {
                removal = new RemoveStaleMember(learner.id(),
                        "no control-plane machine runs learner " + learner.describe());
            } else if (owner.deleting()) {
                removal = new LeaveBeforeDelete(owner.name(), learner.id());
            }
            if (removal != null) {
                QuorumCheck check = Quorum.check(new RemoveMember(learner.id()), cp.etcd);
                if (check.isSafe()) {
                    return removal;
                }
                blocked.add(reason(check));
            }
        }
        for (MemberView learner : learners) {
            MachineView owner = cp.machineOf(learner);
            if (owner == null || owner.deleting()) {
                continue;
            }
            if (owner.failed()) {
                blocked.add("learner " + learner.describe() + " runs on failed machine " + owner.name()
                        + "; it stays unpromoted until the machine is remediated");
                continue;
            }
            QuorumCheck check = Quorum.check(new PromoteLearner(learner.id()), cp.etcd);
            if (check.isSafe()) {
                return new Promote(learner.id());
            }
            blocked.add(reason(check));
        }
        return new Wait(blocked.get(0));
    }

    private static PlannedStep leaveBeforeDelete(ControlPlane cp, List<String> blocked) {
        List<MachineView> leaving = new ArrayList<>();
        for (MachineView m : cp.machines) {
            if (m.deleting() && cp.memberOf(m) != null) {
                leaving.add(m);
            }
        }
        leaving.sort(Comparator.comparing((MachineView m) -> cp.memberOf(m).healthy())
                .thenComparing(MachineView.OLDEST_FIRST));
        for (MachineView machine : leaving) {
            MemberView member = cp.memberOf(machine);
            QuorumCheck check = Quorum.check(new RemoveMember(member.id()), cp.etcd);
            if (check.isSafe()) {
                return new LeaveBeforeDelete(machine.name(), member.id());
            }
            blocked.add("deleting machine " + machine.name() + " cannot leave etcd yet: " + reason(check));
        }
        return null;
    }

    private static PlannedStep removeStaleMember(ControlPlane cp, List<String> blocked) {
        List<MemberView> stale = new ArrayList<>();
        for (MemberView m : cp.etcd.members()) {
            if (cp.machineOf(m) == null) {
                stale.add(m);
            }
        }
        stale.sort(UNHEALTHY_FIRST_THEN_ID);
        for (MemberView member : stale) {
            QuorumCheck check = Quorum.check(new RemoveMember(member.id()), cp.etcd);
            if (check.isSafe()) {
                return new RemoveStaleMember(member.id(), "no control-plane machine runs member " + member.describe()
                        + (member.healthy() ? "" : ", and it is unhealthy"));
            }
            blocked.add("stale member " + member.describe() + " cannot be removed yet: " + reason(check));
        }
        return null;
    }

    private static PlannedStep releaseHook(ControlPlane cp) {
        for (MachineView m : cp.machines) {
            if (m.deleting() && m.hasPreTerminateHook() && cp.memberOf(m) == null) {
                return new ReleaseHook(m.name());
            }
        }
        return null;
    }

    private static PlannedStep replaceRemoved(ControlPlane cp, Set<String> removedFromEtcd) {
        for (MachineView m : cp.machines) {
            if (removedFromEtcd.contains(m.name()) && !m.deleting() && cp.memberOf(m) == null) {
                return new ReplaceMachine(m.name(), "the node of machine " + m.name() + " reports that its etcd member"
                        + " was removed from the cluster; a removed member never rejoins, so the machine is replaced");
            }
        }
        return null;
    }

    private static PlannedStep join(ControlPlane cp, List<String> blocked) {
        for (MachineView m : cp.machines) {
            if (m.deleting() || cp.memberOf(m) != null) {
                continue;
            }
            if (m.failed()) {
                blocked.add("machine " + m.name() + " has failed; it will not join etcd");
                continue;
            }
            if (!m.ready() || m.memberName().isEmpty()) {
                blocked.add("machine " + m.name() + " is not ready to join etcd yet");
                continue;
            }
            QuorumCheck check = Quorum.check(new AddLearner(m.memberName().get()), cp.etcd);
            if (check.isSafe()) {
                return new Join(m.name());
            }
            blocked.add("machine " + m.name() + " cannot join etcd yet: " + reason(check));
        }
        return null;
    }

    private static String reason(QuorumCheck check) {
        return ((QuorumCheck.Unsafe) check).reason();
    }
}
