package dev.kiln.machinery.cluster;

import dev.kiln.machinery.cluster.PlannedStep.Converged;
import dev.kiln.machinery.cluster.PlannedStep.Join;
import dev.kiln.machinery.cluster.PlannedStep.LeaveBeforeDelete;
import dev.kiln.machinery.cluster.PlannedStep.Promote;
import dev.kiln.machinery.cluster.PlannedStep.ReleaseHook;
import dev.kiln.machinery.cluster.PlannedStep.RemoveStaleMember;
import dev.kiln.machinery.cluster.PlannedStep.Wait;
import dev.kiln.machinery.cluster.ScaleDecision.RefuseEvenReplicas;
import dev.kiln.machinery.cluster.ScaleDecision.RollOut;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleDown;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleUp;
import dev.kiln.machinery.cluster.ScaleDecision.Steady;
import java.util.Optional;

/**
 * The rules restated independently of the production code (no Quorum, no planner helpers), used as oracles.
 */
final class Rules {

    private Rules() {
    }

    static int majority(int voters) {
        return voters / 2 + 1;
    }

    static boolean quorate(ClusterModel model) {
        int n = model.voters();
        return n >= 1 && model.healthyVoters() >= majority(n);
    }

    static boolean safeToRemove(ClusterModel model, MemberView member) {
        if (!quorate(model)) {
            return false;
        }
        if (member.learner()) {
            return true;
        }
        int target = model.voters() - 1;
        int healthyAfter = model.healthyVoters() - (model.countsHealthy(member) ? 1 : 0);
        return target >= 1 && healthyAfter >= majority(target);
    }

    static boolean safeToPromote(ClusterModel model, MemberView learner) {
        int target = model.voters() + 1;
        return quorate(model) && learner.learner() && model.countsHealthy(learner)
                && model.healthyVoters() + 1 >= majority(target);
    }

    /** Member has no control-plane machine, or its machine is deleting. */
    static boolean mustGo(ClusterModel model, MemberView member) {
        MachineView m = model.machineRunning(member);
        return m == null || m.deleting();
    }

    static boolean anySafeRemovalOfMemberThatMustGo(ClusterModel model) {
        for (MemberView member : model.members) {
            if (mustGo(model, member) && safeToRemove(model, member)) {
                return true;
            }
        }
        return false;
    }

    static boolean anyPromotableLearner(ClusterModel model) {
        for (MemberView member : model.members) {
            MachineView m = model.machineRunning(member);
            if (member.learner() && m != null && m.isLive() && safeToPromote(model, member)) {
                return true;
            }
        }
        return false;
    }

    static boolean joinable(ClusterModel model, MachineView m) {
        return m.isControlPlane() && m.isLive() && m.ready() && m.memberName().isPresent()
                && model.memberOf(m) == null;
    }

    static boolean releasable(ClusterModel model, MachineView m) {
        return m.isControlPlane() && m.deleting() && m.hasPreTerminateHook() && model.memberOf(m) == null;
    }

    /** Nothing left to change: no learner, every member on a staying machine, every staying machine a member. */
    static boolean settled(ClusterModel model) {
        if (model.hasLearner()) {
            return false;
        }
        for (MemberView member : model.members) {
            if (mustGo(model, member)) {
                return false;
            }
        }
        for (MachineView m : model.machines) {
            if (!m.isControlPlane()) {
                continue;
            }
            if (m.deleting() ? m.hasPreTerminateHook() : model.memberOf(m) == null) {
                return false;
            }
        }
        return true;
    }

    static void checkMembershipStep(ClusterModel model, PlannedStep step) {
        boolean learnerExists = model.hasLearner();
        if (step instanceof Join join) {
            MachineView m = model.machineNamed(join.machineName());
            require(m != null && joinable(model, m), "Join names a machine that cannot join", model, step);
            require(quorate(model), "Join while not quorate", model, step);
            require(!learnerExists, "Join while a learner exists", model, step);
            require(!anySafeRemovalOfMemberThatMustGo(model), "Join before a safe removal", model, step);
        } else if (step instanceof Promote promote) {
            MemberView member = model.memberWithId(promote.memberId());
            require(member != null && member.learner(), "Promote names no learner", model, step);
            MachineView m = model.machineRunning(member);
            require(m != null && m.isLive(), "Promote of a learner without a staying machine", model, step);
            require(safeToPromote(model, member), "Promote breaks quorum", model, step);
        } else if (step instanceof RemoveStaleMember remove) {
            MemberView member = model.memberWithId(remove.memberId());
            require(member != null, "RemoveStaleMember names no member", model, step);
            require(model.machineRunning(member) == null, "RemoveStaleMember of a member with a machine", model, step);
            require(safeToRemove(model, member), "RemoveStaleMember breaks quorum", model, step);
            require(!learnerExists || member.learner(), "voter removed while a learner exists", model, step);
            if (!member.learner()) {
                require(!anySafeLeave(model), "stale removal before a safe leave-before-delete", model, step);
                require(!model.countsHealthy(member) || !anyUnhealthyStaleVoter(model),
                        "healthy stale member removed before an unhealthy one", model, step);
            }
        } else if (step instanceof LeaveBeforeDelete leave) {
            MachineView m = model.machineNamed(leave.machineName());
            require(m != null && m.isControlPlane() && m.deleting(), "LeaveBeforeDelete of a staying machine",
                    model, step);
            MemberView member = model.memberOf(m);
            require(member != null && member.id() == leave.memberId(), "LeaveBeforeDelete names the wrong member",
                    model, step);
            require(safeToRemove(model, member), "LeaveBeforeDelete breaks quorum", model, step);
            require(!learnerExists || member.learner(), "voter removed while a learner exists", model, step);
        } else if (step instanceof ReleaseHook release) {
            MachineView m = model.machineNamed(release.machineName());
            require(m != null && releasable(model, m), "ReleaseHook before the member left", model, step);
            require(!learnerExists, "ReleaseHook while a learner exists", model, step);
            require(!anySafeRemovalOfMemberThatMustGo(model), "ReleaseHook before a safe removal", model, step);
        } else if (step instanceof Wait) {
            require(!settled(model), "Wait although settled", model, step);
            require(!anyPromotableLearner(model), "Wait although a learner can be promoted", model, step);
            for (MemberView member : model.members) {
                require(!(mustGo(model, member) && (member.learner() || !learnerExists)
                        && safeToRemove(model, member)), "Wait although a removal is safe", model, step);
            }
            if (!learnerExists) {
                for (MachineView m : model.machines) {
                    require(!releasable(model, m), "Wait although a hook can be released", model, step);
                    require(!joinable(model, m) || !quorate(model), "Wait although a machine can join", model, step);
                }
            }
        } else if (step instanceof Converged) {
            require(settled(model), "Converged although not settled", model, step);
        } else {
            throw new AssertionError("unknown step " + step);
        }
    }

    private static boolean anySafeLeave(ClusterModel model) {
        for (MemberView member : model.members) {
            MachineView m = model.machineRunning(member);
            if (m != null && m.deleting() && safeToRemove(model, member)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyUnhealthyStaleVoter(ClusterModel model) {
        for (MemberView member : model.members) {
            if (!member.learner() && model.machineRunning(member) == null && !model.countsHealthy(member)) {
                return true;
            }
        }
        return false;
    }

    /** delete-machine annotation, then outdated, then oldest, then name. */
    static boolean deletesBefore(MachineView a, MachineView b) {
        if (a.markedForDeletion() != b.markedForDeletion()) {
            return a.markedForDeletion();
        }
        if (a.outdated() != b.outdated()) {
            return a.outdated();
        }
        if (a.creationOrder() != b.creationOrder()) {
            return a.creationOrder() < b.creationOrder();
        }
        return a.name().compareTo(b.name()) < 0;
    }

    static void checkScaleDecision(ClusterModel model, int desired, int maxSurge, ScaleDecision decision) {
        if (desired % 2 == 0) {
            require(decision instanceof RefuseEvenReplicas, "even replicas not refused", model, decision);
            return;
        }
        boolean settled = settled(model);
        boolean anyDeleting = false;
        boolean deletingWithMember = false;
        int count = 0;
        int outdated = 0;
        for (MachineView m : model.machines) {
            if (m.isControlPlane()) {
                boolean hasMember = model.members.stream().anyMatch(member -> member.started()
                        && m.memberName().equals(Optional.of(member.name())));
                // A deleting machine whose member left etcd only waits for its wipe: it no longer counts.
                count += m.deleting() && !hasMember ? 0 : 1;
                anyDeleting |= m.deleting();
                deletingWithMember |= m.deleting() && hasMember;
                outdated += m.outdated() ? 1 : 0;
            }
        }
        if (count < desired) {
            boolean strayMember = false;
            boolean votersHealthy = true;
            for (MemberView member : model.members) {
                strayMember |= model.machineRunning(member) == null && (member.started() || !member.learner());
                votersHealthy &= member.learner() || model.countsHealthy(member);
            }
            boolean mayCreate = !deletingWithMember && !strayMember && votersHealthy;
            require(mayCreate ? decision instanceof ScaleUp : decision instanceof ScaleDecision.Wait,
                    mayCreate ? "no ScaleUp although machines are missing and every voter is healthy"
                            : "ScaleUp while a deleting machine keeps its member, a member has no machine or a voter "
                                    + "is unhealthy",
                    model, decision);
            if (decision instanceof ScaleUp up) {
                require(up.count() == desired - count, "ScaleUp creates other than exactly the missing machines",
                        model, decision);
            }
            return;
        }
        if (!settled || anyDeleting) {
            require(decision instanceof ScaleDecision.Wait, "machine change while membership unsettled", model,
                    decision);
            return;
        }
        boolean allHealthy = true;
        for (MemberView member : model.members) {
            allHealthy &= model.countsHealthy(member);
        }
        boolean wantsUp = count < desired || (count == desired && outdated > 0 && maxSurge == 1);
        boolean wantsDown = count > desired || (count == desired && outdated > 0 && maxSurge == 0);
        if (decision instanceof ScaleUp up) {
            require(wantsUp && allHealthy, "ScaleUp without need or with unhealthy etcd", model, decision);
            require(up.count() == 1, "a surge creates more than one replacement", model, decision);
        } else if (decision instanceof ScaleDown down) {
            require(count > desired, "ScaleDown without surplus", model, decision);
            checkVictim(model, down.machineName(), false, decision);
        } else if (decision instanceof RollOut rollOut) {
            require(maxSurge == 0 && count == desired && outdated > 0, "RollOut out of place", model, decision);
            checkVictim(model, rollOut.machineName(), true, decision);
        } else if (decision instanceof Steady) {
            require(count == desired && outdated == 0, "Steady although a change is needed", model, decision);
        } else if (decision instanceof ScaleDecision.Wait) {
            if (wantsUp) {
                require(!allHealthy, "scale-up Wait although etcd is healthy", model, decision);
            } else {
                require(wantsDown, "Wait although steady", model, decision);
                require(!safeToRemove(model, model.memberOf(victim(model, count == desired))),
                        "scale-down Wait although removal is safe", model, decision);
            }
        } else {
            throw new AssertionError("unexpected " + decision + " for " + model);
        }
    }

    private static MachineView victim(ClusterModel model, boolean outdatedOnly) {
        MachineView best = null;
        for (MachineView m : model.machines) {
            if (m.isControlPlane() && (!outdatedOnly || m.outdated()) && (best == null || deletesBefore(m, best))) {
                best = m;
            }
        }
        return best;
    }

    private static void checkVictim(ClusterModel model, String name, boolean outdatedOnly, ScaleDecision decision) {
        MachineView expected = victim(model, outdatedOnly);
        require(expected != null && expected.name().equals(name), "wrong machine picked for deletion", model,
                decision);
        require(safeToRemove(model, model.memberOf(expected)), "deleting a machine breaks quorum", model, decision);
    }

    static void require(boolean ok, String rule, ClusterModel model, Object outcome) {
        if (!ok) {
            throw new AssertionError(rule + ": got " + outcome + " for " + model);
        }
    }
}
