package dev.kiln.machinery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.cluster.ScaleDecision.RefuseEvenReplicas;
import dev.kiln.machinery.cluster.ScaleDecision.RollOut;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleDown;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleUp;
import dev.kiln.machinery.cluster.ScaleDecision.Steady;
import dev.kiln.machinery.cluster.ScaleDecision.Wait;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScalePlannerTest {

    @Test
    void evenReplicasAreRefused() {
        for (int replicas : new int[] {0, 2, 4, 6}) {
            ScaleDecision decision = decide(ClusterModel.healthy(3), replicas, 1);
            assertTrue(decision instanceof RefuseEvenReplicas refuse && refuse.replicas() == replicas,
                    decision.toString());
        }
        assertEquals(new RefuseEvenReplicas(2, "replicas 2 is even; use an odd number (1, 3, 5): 2 etcd members "
                + "survive 0 failures, the same as 1, while more of them must be up to keep quorum"),
                decide(ClusterModel.healthy(1), 2, 1));
    }

    @Test
    void steadyWhenAsManyUpToDateMachinesAsDesired() {
        assertEquals(new Steady(), decide(ClusterModel.healthy(3), 3, 1));
    }

    @Test
    void scalesUpWhenBelowDesiredAndEtcdHealthy() {
        assertEquals(new ScaleUp("scale up from 1 to 3 machines", List.of(Optional.empty(), Optional.empty())),
                decide(ClusterModel.healthy(1), 3, 0));
    }

    @Test
    void scaleUpPlacesEachNewMachineInTheFailureDomainWithFewestMachines() {
        ClusterModel model = ClusterModel.healthy(1);
        Placement placement = new Placement(List.of("zone-b", "zone-a"), Map.of("cp-0", "zone-a"));
        assertEquals(new ScaleUp("scale up from 1 to 3 machines in failure domains zone-a, zone-b",
                        List.of(Optional.of("zone-b"), Optional.of("zone-a"))),
                ScalePlanner.decide(new ScaleInput(3, 1, model.machines, new EtcdView(model.members), placement)));
    }

    @Test
    void scaleDownTakesTheOldestMachineOfTheFullestFailureDomain() {
        ClusterModel model = ClusterModel.healthy(5);
        Placement placement = new Placement(List.of("a", "b"), Map.of("cp-0", "a", "cp-1", "b", "cp-2", "b",
                "cp-3", "a", "cp-4", "b"));
        assertEquals(new ScaleDown("cp-1", "scale down from 5 to 3 machines; cp-1 is the oldest in failure domain b, "
                        + "which holds the most"),
                ScalePlanner.decide(new ScaleInput(3, 1, model.machines, new EtcdView(model.members), placement)));
    }

    @Test
    void scaleUpWaitsForAnUnhealthyMember() {
        ClusterModel model = ClusterModel.healthy(2);
        model.members.set(1, model.members.get(1).withHealthy(false));
        model.machine(MachineView.controlPlane("c", 9)).member(MemberView.voter(9, "c"));
        assertEquals(new Wait("cannot scale up from 3 to 5 machines: etcd member cp-1 (2) is unhealthy"),
                decide(model, 5, 1));
    }

    @Test
    void scaleUpCreatesTheNextMachineWhileAnotherHasNotJoinedYet() {
        ClusterModel joining = ClusterModel.healthy(1).machine(MachineView.controlPlane("b", 5));
        assertEquals(new ScaleUp("scale up from 2 to 3 machines", Optional.empty()), decide(joining, 3, 1));
    }

    @Test
    void scaleUpCreatesTheNextMachineWhileAnUnstartedLearnerJoins() {
        ClusterModel joining = ClusterModel.healthy(1).machine(MachineView.controlPlane("b", 5));
        joining.member(MemberView.learner(5, "b").withHealthy(false));
        assertEquals(new ScaleUp("scale up from 2 to 3 machines", Optional.empty()), decide(joining, 3, 1));
    }

    @Test
    void formationCreatesEveryMachineBeforeEtcdHasAnyMember() {
        ClusterModel forming = new ClusterModel().machine(MachineView.controlPlane("a", 1).withReady(false));
        assertEquals(new ScaleUp("scale up from 1 to 3 machines", List.of(Optional.empty(), Optional.empty())),
                decide(forming, 3, 1));
    }

    @Test
    void scaleDownWaitsForAPendingJoinAndPromotion() {
        ClusterModel joining = ClusterModel.healthy(3).machine(MachineView.controlPlane("b", 5));
        assertEquals(new Wait("machine b has not joined etcd yet"), decide(joining, 3, 1));
        joining.member(MemberView.learner(5, "b"));
        assertEquals(new Wait("learner b (5) is not promoted yet"), decide(joining, 3, 1));
    }

    @Test
    void scaleUpWaitsForAMemberWithoutMachine() {
        ClusterModel model = ClusterModel.healthy(1).member(MemberView.voter(7, "gone"));
        assertEquals(new Wait("member gone (7) has no machine and must be removed first"), decide(model, 3, 1));
    }

    @Test
    void anyChangeWaitsWhileAMachineIsDeleting() {
        ClusterModel model = ClusterModel.healthy(3);
        model.markDeleting("cp-2");
        assertEquals(new Wait("machine cp-2 is being deleted; the next change waits for it to finish"),
                decide(model, 5, 1));
    }

    @Test
    void aDeletingMachineWhoseMemberLeftEtcdIsReplacedWithoutWaitingForItsWipe() {
        ClusterModel model = ClusterModel.healthy(3);
        model.markDeleting("cp-2");
        model.members.removeIf(member -> member.name().equals("cp-2"));
        assertEquals(new ScaleUp("scale up from 2 to 3 machines", Optional.empty()), decide(model, 3, 1));
    }

    @Test
    void noOtherChangeThanTheReplacementWhileADeletingMachineIsWiped() {
        ClusterModel model = ClusterModel.healthy(3);
        model.markDeleting("cp-2");
        model.members.removeIf(member -> member.name().equals("cp-2"));
        assertEquals(new Wait("machine cp-2 is being deleted; the next change waits for it to finish"),
                decide(model, 1, 1));
    }

    @Test
    void scaleDownPrefersDeleteMachineAnnotationThenOutdatedThenOldest() {
        ClusterModel model = ClusterModel.healthy(5);
        replace(model, "cp-3", model.machineNamed("cp-3").withOutdated(true));
        replace(model, "cp-4", model.machineNamed("cp-4").withMarkedForDeletion(true));
        ScaleDecision first = decide(model, 1, 1);
        assertTrue(first instanceof ScaleDown down && down.machineName().equals("cp-4"), first.toString());
        removeMachineAndMember(model, "cp-4");
        ScaleDecision second = decide(model, 1, 1);
        assertTrue(second instanceof ScaleDown down && down.machineName().equals("cp-3"), second.toString());
        removeMachineAndMember(model, "cp-3");
        assertEquals(new ScaleDown("cp-0", "scale down from 3 to 1 machines; cp-0 is the oldest"),
                decide(model, 1, 1));
    }

    @Test
    void scaleDownWaitsWhenQuorumWouldBreak() {
        ClusterModel model = ClusterModel.healthy(3);
        model.members.set(1, model.members.get(1).withHealthy(false));
        assertEquals(new Wait("cannot delete machine cp-0: removing member cp-0 (1) would leave 1 healthy voter "
                + "of 2, quorum needs 2"), decide(model, 1, 1));
    }

    @Test
    void rolloutWithMaxSurgeOneCreatesTheReplacementFirst() {
        ClusterModel model = ClusterModel.healthy(3);
        replace(model, "cp-1", model.machineNamed("cp-1").withOutdated(true));
        assertEquals(new ScaleUp("surge a replacement for outdated machine cp-1"), decide(model, 3, 1));
    }

    @Test
    void rolloutWithMaxSurgeZeroDeletesFirst() {
        ClusterModel model = ClusterModel.healthy(3);
        replace(model, "cp-1", model.machineNamed("cp-1").withOutdated(true));
        assertTrue(decide(model, 3, 0) instanceof RollOut rollOut && rollOut.machineName().equals("cp-1"));
    }

    @Test
    void rolloutOfASingleNodeWithMaxSurgeZeroWaits() {
        ClusterModel model = ClusterModel.healthy(1);
        replace(model, "cp-0", model.machineNamed("cp-0").withOutdated(true));
        assertEquals(new Wait("cannot delete machine cp-0: removing member cp-0 (1) would leave no voting members; "
                + "maxSurge 1 would add the replacement first"), decide(model, 1, 0));
    }

    /** Settled control planes of up to 7 machines, every health/outdated/annotation mix, every desired count. */
    @Test
    void everySettledSmallControlPlaneObeysTheScaleRules() {
        List<int[]> sets = new ArrayList<>();
        MembershipPlannerPropertiesTest.multisets(8, 7, sets);
        int cases = 0;
        for (int[] set : sets) {
            ClusterModel model = new ClusterModel();
            for (int i = 0; i < set.length; i++) {
                String name = "m-" + i;
                model.machine(MachineView.controlPlane(name, i).withOutdated((set[i] & 2) != 0)
                        .withMarkedForDeletion((set[i] & 4) != 0));
                model.member(new MemberView(i + 1, name, false, (set[i] & 1) == 0));
            }
            for (int desired = 0; desired <= 8; desired++) {
                for (int maxSurge = 0; maxSurge <= 1; maxSurge++) {
                    Rules.checkScaleDecision(model, desired, maxSurge, decide(model, desired, maxSurge));
                    cases++;
                }
            }
        }
        System.out.println("scale: " + cases + " settled control planes x desired x maxSurge enumerated");
        assertEquals(6435 * 18, cases); // C(8+7, 7) multisets of size <= 7
    }

    private static void removeMachineAndMember(ClusterModel model, String name) {
        MachineView machine = model.machineNamed(name);
        model.members.remove(model.memberOf(machine));
        model.machines.remove(machine);
    }

    private static void replace(ClusterModel model, String name, MachineView with) {
        model.machines.set(model.machines.indexOf(model.machineNamed(name)), with);
    }

    private static ScaleDecision decide(ClusterModel model, int desired, int maxSurge) {
        return ScalePlanner.decide(model.scaleInput(desired, maxSurge));
    }
}
