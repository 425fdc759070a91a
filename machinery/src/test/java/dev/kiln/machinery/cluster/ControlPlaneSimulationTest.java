package dev.kiln.machinery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.cluster.PlannedStep.Converged;
import dev.kiln.machinery.cluster.ScaleDecision.Steady;
import org.junit.jupiter.api.Test;

/**
 * Runs membership and scale planners together on {@link ClusterModel}. "At rest" means the state between two
 * operations, i.e. after each applied step; members count learners too.
 */
class ControlPlaneSimulationTest {

    record Outcome(PlannedStep lastStep, ScaleDecision lastDecision, int operations, int maxMembers,
            int maxMachines) {

        boolean settled() {
            return lastStep instanceof Converged && lastDecision instanceof Steady;
        }
    }

    /** Membership first each pass; the scale planner acts only when membership has nothing to do. */
    static Outcome run(ClusterModel model, int desired, int maxSurge) {
        int maxMembers = model.members.size();
        int maxMachines = model.machines.size();
        for (int operations = 0; operations < 200; operations++) {
            PlannedStep step = MembershipPlanner.plan(model.planInput());
            Rules.checkMembershipStep(model, step);
            if (!model.apply(step)) {
                ScaleDecision decision = ScalePlanner.decide(model.scaleInput(desired, maxSurge));
                Rules.checkScaleDecision(model, desired, maxSurge, decision);
                if (!model.apply(decision)) {
                    return new Outcome(step, decision, operations, maxMembers, maxMachines);
                }
            }
            maxMembers = Math.max(maxMembers, model.members.size());
            maxMachines = Math.max(maxMachines, model.machines.size());
        }
        throw new AssertionError("no end after 200 operations: " + model);
    }

    @Test
    void replacingOneOfThreeEndsWithThreeMembers() {
        for (int maxSurge = 0; maxSurge <= 1; maxSurge++) {
            ClusterModel model = ClusterModel.healthy(3);
            model.machines.set(1, model.machines.get(1).withOutdated(true));
            Outcome outcome = run(model, 3, maxSurge);
            assertTrue(outcome.settled(), outcome.toString());
            assertEquals(3, model.members.size(), model.toString());
            assertEquals(3 + maxSurge, outcome.maxMembers(), "maxSurge " + maxSurge + ": " + outcome);
            assertEquals(null, model.machineNamed("cp-1"));
        }
    }

    @Test
    void crashedNodeIsReplacedWithoutAFourthMember() {
        ClusterModel model = ClusterModel.healthy(3);
        model.members.set(2, model.members.get(2).withHealthy(false));
        model.markDeleting("cp-2");
        Outcome outcome = run(model, 3, 1);
        assertTrue(outcome.settled(), outcome.toString());
        assertEquals(3, outcome.maxMembers());
        assertEquals(3, model.members.size());
    }

    @Test
    void failedMachineStopsScalingUntilRemediated() {
        ClusterModel model = ClusterModel.healthy(3);
        model.machines.set(2, model.machines.get(2).withFailed(true));
        Outcome outcome = run(model, 5, 1);
        assertTrue(outcome.lastDecision() instanceof ScaleDecision.Wait, outcome.toString());
        model.markDeleting("cp-2");
        Outcome after = run(model, 5, 1);
        assertTrue(after.settled(), after.toString());
        assertEquals(5, model.members.size());
    }

    /** Every subset of outdated machines, with no or one delete-machine annotation, for 1, 3 and 5 replicas. */
    @Test
    void everyRolloutOfOneThreeAndFiveStaysWithinOneSurge() {
        int runs = 0;
        for (int desired : new int[] {1, 3, 5}) {
            for (int maxSurge = 0; maxSurge <= 1; maxSurge++) {
                for (int outdatedMask = 0; outdatedMask < 1 << desired; outdatedMask++) {
                    for (int annotated = -1; annotated < desired; annotated++) {
                        ClusterModel model = ClusterModel.healthy(desired);
                        for (int i = 0; i < desired; i++) {
                            model.machines.set(i, model.machines.get(i).withOutdated((outdatedMask >> i & 1) == 1)
                                    .withMarkedForDeletion(i == annotated));
                        }
                        String start = model.toString();
                        Outcome outcome = run(model, desired, maxSurge);
                        runs++;
                        assertTrue(outcome.maxMembers() <= desired + maxSurge, start + " -> " + outcome);
                        assertTrue(outcome.maxMachines() <= desired + maxSurge, start + " -> " + outcome);
                        if (desired == 1 && maxSurge == 0 && outdatedMask != 0) {
                            assertTrue(outcome.lastDecision() instanceof ScaleDecision.Wait wait
                                    && wait.reason().contains("no voting members"), start + " -> " + outcome);
                            continue;
                        }
                        assertTrue(outcome.settled(), start + " -> " + outcome);
                        assertEquals(desired, model.members.size(), start + " -> " + model);
                        assertEquals(desired, model.machines.size(), start + " -> " + model);
                        for (MachineView m : model.machines) {
                            assertTrue(!m.outdated() && model.memberOf(m) != null, start + " -> " + model);
                        }
                        assertEquals(desired + maxSurge > desired && outdatedMask != 0 ? desired + 1 : desired,
                                outcome.maxMembers(), start + " -> " + outcome);
                    }
                }
            }
        }
        System.out.println("rollouts: " + runs + " scenarios simulated");
        assertEquals(2 * (2 * 2 + 8 * 4 + 32 * 6), runs);
    }

    @Test
    void scalingBetweenOddSizesNeverOvershoots() {
        for (int from : new int[] {1, 3, 5, 7}) {
            for (int to : new int[] {1, 3, 5, 7}) {
                for (int maxSurge = 0; maxSurge <= 1; maxSurge++) {
                    ClusterModel model = ClusterModel.healthy(from);
                    Outcome outcome = run(model, to, maxSurge);
                    assertTrue(outcome.settled(), from + " -> " + to + ": " + outcome);
                    assertEquals(to, model.members.size(), from + " -> " + to);
                    assertEquals(Math.max(from, to), outcome.maxMembers(), from + " -> " + to);
                }
            }
        }
    }
}
