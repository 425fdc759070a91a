package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.common.Progress;
import org.junit.jupiter.api.Test;

class ControlPlaneReadinessTest {

    private static final Outcome STEADY = new Outcome("Steady", "AtDesiredReplicas", "3 machines, all up to date",
            false);
    private static final Outcome SCALING_UP = new Outcome("ScaleUp", "ScalingUp", "created machine cp-3", false);

    /** Three desired, three live, up to date, available; etcd has three voters and no learner. */
    private static ControlPlaneReadiness.Facts atDesired() {
        return new ControlPlaneReadiness.Facts(3, 3, 0, 3, 3, 3, 0, STEADY);
    }

    @Test
    void everythingAtDesiredIsReady() {
        Progress progress = ControlPlaneReadiness.decide(atDesired());
        assertInstanceOf(Progress.Done.class, progress);
        assertEquals(ControlPlaneReadiness.READY_REASON, progress.reason());
    }

    @Test
    void tooFewMachinesIsWorkingWithThePassDecision() {
        Progress progress = ControlPlaneReadiness.decide(new ControlPlaneReadiness.Facts(3, 0, 0, 0, 0, 0, 0,
                SCALING_UP));
        assertInstanceOf(Progress.Working.class, progress);
        assertEquals("ScalingUp", progress.reason());
        assertTrue(progress.message().contains("0 of 3 machines exist"), progress.message());
    }

    @Test
    void aSteadyPlannerWithAGapNamesTheFirstGap() {
        assertWorking("TooManyMachines", new ControlPlaneReadiness.Facts(3, 4, 0, 4, 3, 3, 0, STEADY));
        assertWorking("MachinesOutdated", new ControlPlaneReadiness.Facts(3, 3, 0, 2, 3, 3, 0, STEADY));
        assertWorking("MachinesNotAvailable", new ControlPlaneReadiness.Facts(3, 3, 0, 3, 2, 3, 0, STEADY));
        assertWorking("MachinesDeleting", new ControlPlaneReadiness.Facts(3, 3, 1, 3, 3, 3, 0, STEADY));
        assertWorking("EtcdVotersNotAtDesired", new ControlPlaneReadiness.Facts(3, 3, 0, 3, 3, 4, 0, STEADY));
        assertWorking("EtcdLearnersPresent", new ControlPlaneReadiness.Facts(3, 3, 0, 3, 3, 3, 1, STEADY));
    }

    @Test
    void theMessageListsEveryGap() {
        Progress progress = ControlPlaneReadiness.decide(new ControlPlaneReadiness.Facts(3, 2, 1, 1, 1, 2, 1,
                STEADY));
        for (String gap : new String[] {"2 of 3 machines exist", "1 machines are not up to date",
                "1 of 3 machines are available", "1 machines are being deleted", "etcd has 2 voters, 3 desired",
                "etcd has 1 learners"}) {
            assertTrue(progress.message().contains(gap), gap + " missing from " + progress.message());
        }
    }

    @Test
    void evenReplicasAreStuckEvenWithEveryMachineThere() {
        Outcome refused = Outcome.refused("RefuseEvenReplicas", "EvenReplicas", "spec.replicas: 4 is even");
        Progress progress = ControlPlaneReadiness.decide(new ControlPlaneReadiness.Facts(4, 4, 0, 4, 4, 4, 0,
                refused));
        assertInstanceOf(Progress.Stuck.class, progress);
        assertEquals("EvenReplicas", progress.reason());
    }

    @Test
    void anInvalidSpecIsStuck() {
        Outcome refused = Outcome.refused("RefuseInvalidSpec", "InvalidSpec", "spec.controlPlaneConfig: bad");
        assertInstanceOf(Progress.Stuck.class, ControlPlaneReadiness.decide(new ControlPlaneReadiness.Facts(3, 3, 0,
                3, 3, 3, 0, refused)));
    }

    private static void assertWorking(String reason, ControlPlaneReadiness.Facts facts) {
        Progress progress = ControlPlaneReadiness.decide(facts);
        assertInstanceOf(Progress.Working.class, progress, facts.toString());
        assertEquals(reason, progress.reason(), facts.toString());
    }
}
