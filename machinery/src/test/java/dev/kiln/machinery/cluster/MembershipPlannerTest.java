package dev.kiln.machinery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.cluster.PlannedStep.Converged;
import dev.kiln.machinery.cluster.PlannedStep.Join;
import dev.kiln.machinery.cluster.PlannedStep.LeaveBeforeDelete;
import dev.kiln.machinery.cluster.PlannedStep.Promote;
import dev.kiln.machinery.cluster.PlannedStep.ReleaseHook;
import dev.kiln.machinery.cluster.PlannedStep.RemoveStaleMember;
import dev.kiln.machinery.cluster.PlannedStep.ReplaceMachine;
import dev.kiln.machinery.cluster.PlannedStep.Wait;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MembershipPlannerTest {

    @Test
    void convergedWhenEveryMachineRunsOneVoter() {
        assertEquals(new Converged(), plan(ClusterModel.healthy(3)));
    }

    @Test
    void joinsTheOldestReadyMachineWithoutMember() {
        ClusterModel model = ClusterModel.healthy(3)
                .machine(MachineView.controlPlane("young", 20))
                .machine(MachineView.controlPlane("old", 10));
        assertEquals(new Join("old"), plan(model));
    }

    @Test
    void promotesLearnerBeforeNextJoin() {
        ClusterModel model = ClusterModel.healthy(3)
                .machine(MachineView.controlPlane("d", 10)).member(MemberView.learner(10, "d"))
                .machine(MachineView.controlPlane("e", 11));
        assertEquals(new Promote(10), plan(model));
    }

    @Test
    void waitsForLearnerToSyncBeforeAnythingElse() {
        ClusterModel model = ClusterModel.healthy(3)
                .machine(MachineView.controlPlane("d", 10)).member(new MemberView(10, "d", true, false))
                .member(MemberView.voter(20, "gone"));
        assertEquals(new Wait("learner d (a) is not in sync yet"), plan(model));
    }

    @Test
    void abandonedLearnerIsRemovedRatherThanBlockingJoins() {
        ClusterModel model = ClusterModel.healthy(3).member(MemberView.learner(10, "gone"));
        assertTrue(plan(model) instanceof RemoveStaleMember step && step.memberId() == 10);
    }

    @Test
    void learnerOfDeletingMachineLeavesInsteadOfBeingPromoted() {
        ClusterModel model = ClusterModel.healthy(3)
                .machine(MachineView.controlPlane("d", 10).withDeleting(true)).member(MemberView.learner(10, "d"));
        assertEquals(new LeaveBeforeDelete("d", 10), plan(model));
    }

    @Test
    void refusesToRemoveMemberWhenItWouldBreakQuorum() {
        ClusterModel model = new ClusterModel()
                .machine(MachineView.controlPlane("a", 1).withDeleting(true)).member(MemberView.voter(1, "a"))
                .machine(MachineView.controlPlane("b", 2)).member(new MemberView(2, "b", false, false))
                .machine(MachineView.controlPlane("c", 3)).member(MemberView.voter(3, "c"));
        assertEquals(new Wait("deleting machine a cannot leave etcd yet: removing member a (1) would leave "
                + "1 healthy voter of 2, quorum needs 2"), plan(model));
    }

    @Test
    void blockedLeaveFallsThroughToASafeStaleRemoval() {
        ClusterModel model = new ClusterModel()
                .machine(MachineView.controlPlane("a", 1).withDeleting(true)).member(MemberView.voter(1, "a"))
                .member(new MemberView(2, "b", false, false))
                .machine(MachineView.controlPlane("c", 3)).member(MemberView.voter(3, "c"));
        PlannedStep first = plan(model);
        assertTrue(first instanceof RemoveStaleMember step && step.memberId() == 2, first.toString());
        model.apply(first);
        assertEquals(new LeaveBeforeDelete("a", 1), plan(model));
    }

    @Test
    void removesOneStaleMemberPerPassUnhealthyFirst() {
        ClusterModel model = ClusterModel.healthy(3)
                .member(MemberView.voter(10, "old-1"))
                .member(new MemberView(11, "old-2", false, false));
        PlannedStep first = plan(model);
        assertEquals(new RemoveStaleMember(11, "no control-plane machine runs member old-2 (b), and it is unhealthy"),
                first);
        model.apply(first);
        PlannedStep second = plan(model);
        assertTrue(second instanceof RemoveStaleMember step && step.memberId() == 10, second.toString());
        model.apply(second);
        assertEquals(new Converged(), plan(model));
    }

    @Test
    void leavesEtcdBeforeReleasingTheHook() {
        ClusterModel model = ClusterModel.healthy(3);
        model.markDeleting("cp-0");
        PlannedStep leave = plan(model);
        assertEquals(new LeaveBeforeDelete("cp-0", 1), leave);
        model.apply(leave);
        assertEquals(new ReleaseHook("cp-0"), plan(model));
    }

    @Test
    void crashedMemberOfDeletedMachineIsRemovedSafely() {
        ClusterModel model = ClusterModel.healthy(2)
                .machine(MachineView.controlPlane("dead", 5).withDeleting(true))
                .member(new MemberView(9, "dead", false, false));
        assertEquals(new LeaveBeforeDelete("dead", 9), plan(model));
    }

    @Test
    void failedMachinesMemberCountsAsUnhealthy() {
        ClusterModel model = new ClusterModel()
                .machine(MachineView.controlPlane("a", 1).withDeleting(true)).member(MemberView.voter(1, "a"))
                .machine(MachineView.controlPlane("b", 2).withFailed(true)).member(MemberView.voter(2, "b"))
                .machine(MachineView.controlPlane("c", 3)).member(MemberView.voter(3, "c"));
        PlannedStep step = plan(model);
        assertTrue(step instanceof Wait wait && wait.reason().contains("1 healthy voter of 2"), step.toString());
    }

    @Test
    void failedMachineNeverJoins() {
        ClusterModel model = ClusterModel.healthy(1).machine(MachineView.controlPlane("f", 5).withFailed(true));
        assertEquals(new Wait("machine f has failed; it will not join etcd"), plan(model));
    }

    @Test
    void machineThatIsNotReadyWaitsToJoin() {
        ClusterModel model = ClusterModel.healthy(1).machine(MachineView.controlPlane("n", 5).withReady(false));
        assertEquals(new Wait("machine n is not ready to join etcd yet"), plan(model));
    }

    @Test
    void unnamedMemberWithNoMachineIsStale() {
        ClusterModel model = ClusterModel.healthy(3).member(new MemberView(0x2a, "", true, true));
        assertEquals(new RemoveStaleMember(0x2a, "no control-plane machine runs learner unstarted member 2a"),
                plan(model));
    }

    @Test
    void neverRemovesTheLastMember() {
        ClusterModel model = ClusterModel.healthy(1);
        model.markDeleting("cp-0");
        assertEquals(new Wait("deleting machine cp-0 cannot leave etcd yet: removing member cp-0 (1) would leave "
                + "no voting members"), plan(model));
    }

    @Test
    void joinsAReplacementWhenTheLastMemberCannotLeaveYet() {
        ClusterModel model = ClusterModel.healthy(1).machine(MachineView.controlPlane("next", 5));
        model.markDeleting("cp-0");
        assertEquals(new Join("next"), plan(model));
    }

    @Test
    void workersAreIgnored() {
        ClusterModel model = ClusterModel.healthy(3).machine(MachineView.worker("w", 5));
        assertEquals(new Converged(), plan(model));
        model.member(MemberView.voter(7, "w"));
        assertTrue(plan(model) instanceof RemoveStaleMember step && step.memberId() == 7);
    }

    @Test
    void emptyEtcdIsLeftToBootstrap() {
        ClusterModel model = new ClusterModel().machine(MachineView.controlPlane("a", 1));
        PlannedStep step = plan(model);
        assertTrue(step instanceof Wait wait && wait.reason().contains("bootstrap"), step.toString());
    }

    @Test
    void aMachineWhoseNodeReportsItsMemberRemovedIsReplaced() {
        ClusterModel model = ClusterModel.healthy(2).machine(MachineView.controlPlane("removed", 5));

        PlannedStep step = MembershipPlanner.plan(removed(model, "removed"));

        assertEquals(new ReplaceMachine("removed", "the node of machine removed reports that its etcd member was"
                + " removed from the cluster; a removed member never rejoins, so the machine is replaced"), step);
    }

    @Test
    void aRemovedMachineIsReplacedOnlyAfterAStaleMemberIsRemoved() {
        ClusterModel model = ClusterModel.healthy(3).member(MemberView.voter(7, "gone"))
                .machine(MachineView.controlPlane("removed", 5));

        assertTrue(MembershipPlanner.plan(removed(model, "removed")) instanceof RemoveStaleMember step
                && step.memberId() == 7);
    }

    @Test
    void aRemovedMachineThatIsAlreadyDeletingIsNotReplacedAgain() {
        ClusterModel model = ClusterModel.healthy(3)
                .machine(MachineView.controlPlane("removed", 5).withDeleting(true));

        assertEquals(new ReleaseHook("removed"), MembershipPlanner.plan(removed(model, "removed")));
    }

    @Test
    void aMachineThatStillRunsAMemberIsNeverReplacedForAStaleRemovalReport() {
        ClusterModel model = ClusterModel.healthy(3);

        assertEquals(new Converged(), MembershipPlanner.plan(removed(model, "cp-1")));
    }

    @Test
    void aRemovedMachineWaitsWhileAJoinIsInFlight() {
        ClusterModel model = ClusterModel.healthy(3)
                .machine(MachineView.controlPlane("d", 10)).member(new MemberView(10, "d", true, false))
                .machine(MachineView.controlPlane("removed", 5));

        assertEquals(new Wait("learner d (a) is not in sync yet"),
                MembershipPlanner.plan(removed(model, "removed")));
    }

    private static PlanInput removed(ClusterModel model, String... machines) {
        PlanInput input = model.planInput();
        return new PlanInput(input.machines(), input.etcd(), Set.of(machines));
    }

    private static PlannedStep plan(ClusterModel model) {
        return MembershipPlanner.plan(model.planInput());
    }
}
