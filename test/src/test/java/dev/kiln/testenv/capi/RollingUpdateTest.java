package dev.kiln.testenv.capi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testenv.capi.RollingUpdate.Limits;
import dev.kiln.testenv.capi.RollingUpdate.SetState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RollingUpdateTest {

    private static Map<String, Integer> plan(int desired, int surge, int unavailable, SetState newSet, SetState... old) {
        return RollingUpdate.plan(desired, new Limits(surge, unavailable), newSet, List.of(old));
    }

    private static Map<String, Integer> expect(Object... nameThenReplicas) {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int i = 0; i < nameThenReplicas.length; i += 2) {
            expected.put((String) nameThenReplicas[i], (Integer) nameThenReplicas[i + 1]);
        }
        return expected;
    }

    @Test
    void aFreshDeploymentGetsAllItsReplicasInTheNewSetAtOnce() {
        assertEquals(expect("new", 3), plan(3, 1, 0, new SetState("new", 0, 0)));
    }

    @Test
    void withSurgeOneTheNewSetGrowsByOneAndNoOldMachineGoesBeforeANewOneIsAvailable() {
        assertEquals(expect("new", 1, "old", 2), plan(2, 1, 0, new SetState("new", 0, 0), new SetState("old", 2, 2)));
    }

    @Test
    void anUnavailableNewMachineHoldsTheOldOnesAndTheSurge() {
        assertEquals(expect("new", 1, "old", 2), plan(2, 1, 0, new SetState("new", 1, 0), new SetState("old", 2, 2)));
    }

    @Test
    void anAvailableNewMachineLetsOneOldMachineGo() {
        assertEquals(expect("new", 1, "old", 1), plan(2, 1, 0, new SetState("new", 1, 1), new SetState("old", 2, 2)));
    }

    @Test
    void onceAnOldMachineIsGoneTheNewSetGrowsAgain() {
        assertEquals(expect("new", 2, "old", 1), plan(2, 1, 0, new SetState("new", 1, 1), new SetState("old", 1, 1)));
    }

    @Test
    void theLastOldMachineGoesWhenTheNewSetIsFullyAvailable() {
        assertEquals(expect("new", 2, "old", 0), plan(2, 1, 0, new SetState("new", 2, 2), new SetState("old", 1, 1)));
    }

    @Test
    void withoutSurgeAnOldMachineGoesFirstWithinMaxUnavailable() {
        assertEquals(expect("new", 0, "old", 1), plan(2, 0, 1, new SetState("new", 0, 0), new SetState("old", 2, 2)));
    }

    @Test
    void withoutSurgeTheNewSetTakesThePlaceAnOldMachineLeft() {
        assertEquals(expect("new", 1, "old", 1), plan(2, 0, 1, new SetState("new", 0, 0), new SetState("old", 1, 1)));
    }

    @Test
    void withoutSurgeNoFurtherOldMachineGoesWhileTheNewOneIsUnavailable() {
        assertEquals(expect("new", 1, "old", 1), plan(2, 0, 1, new SetState("new", 1, 0), new SetState("old", 1, 1)));
    }

    @Test
    void unavailableOldMachinesGoFirstAsTheyCostNoAvailability() {
        // only one of three available, below the floor of two: the broken ones may still go, the working one stays
        assertEquals(expect("new", 0, "old", 2), plan(3, 0, 1, new SetState("new", 0, 0), new SetState("old", 3, 1)));
    }

    @Test
    void oldSetsShrinkOldestFirst() {
        assertEquals(expect("new", 2, "oldest", 0, "older", 1),
                plan(3, 1, 0, new SetState("new", 2, 2), new SetState("oldest", 1, 1), new SetState("older", 2, 2)));
    }

    @Test
    void aNewSetAboveTheDesiredCountComesDownToIt() {
        assertEquals(expect("new", 2), plan(2, 1, 0, new SetState("new", 4, 4)));
    }

    @Test
    void noPassScalesTheNewSetBeyondTheSurgeOrTheOldBelowTheAvailableFloor() {
        for (int desired = 1; desired <= 4; desired++) {
            for (int surge = 0; surge <= 2; surge++) {
                for (int unavailable = 0; unavailable <= 2; unavailable++) {
                    if (surge == 0 && unavailable == 0) {
                        continue;
                    }
                    checkWholeRollout(desired, surge, unavailable);
                }
            }
        }
    }

    /** Rolls a full deployment over, every new machine becoming available one pass after it is asked for. */
    private static void checkWholeRollout(int desired, int surge, int unavailable) {
        SetState newSet = new SetState("new", 0, 0);
        SetState old = new SetState("old", desired, desired);
        String where = "desired " + desired + " surge " + surge + " unavailable " + unavailable;
        for (int pass = 0; pass < 50; pass++) {
            Map<String, Integer> next = RollingUpdate.plan(desired, new Limits(surge, unavailable), newSet,
                    new ArrayList<>(List.of(old)));
            int newReplicas = next.get("new");
            int oldReplicas = next.get("old");
            assertTrue(newReplicas + oldReplicas <= desired + surge, where + ": total above the surge");
            int availableAfter = Math.min(oldReplicas, old.available()) + newSet.available();
            assertTrue(availableAfter >= desired - unavailable, where + ": available below the floor");
            old = new SetState("old", oldReplicas, Math.min(old.available(), oldReplicas));
            newSet = new SetState("new", newReplicas, newSet.replicas() > newReplicas ? newReplicas : newSet.replicas());
            if (newSet.available() == desired && old.replicas() == 0) {
                return;
            }
        }
        throw new AssertionError(where + ": the rollout did not finish in 50 passes");
    }

    @Test
    void limitsDefaultToOneSurgeAndNoUnavailable() {
        assertEquals(new Limits(1, 0), Limits.resolve(null, null, 3));
    }

    @Test
    void percentagesRoundSurgeUpAndUnavailableDown() {
        assertEquals(new Limits(1, 0), Limits.resolve("25%", "25%", 3));
    }

    @Test
    void countsMayBeNumbersOrText() {
        assertEquals(new Limits(0, 2), Limits.resolve(0, "2", 3));
    }

    @Test
    void zeroSurgeAndZeroUnavailableAllowOneUnavailableSoTheRolloutCanMove() {
        assertEquals(new Limits(0, 1), Limits.resolve(0, 0, 3));
    }

    @Test
    void aValueThatIsNeitherACountNorAPercentageIsRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Limits.resolve("lots", null, 3));
        assertTrue(e.getMessage().contains("spec.strategy.rollingUpdate.maxSurge"), e.getMessage());
    }

    @Test
    void aNegativeValueIsRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Limits.resolve(1, -1, 3));
        assertTrue(e.getMessage().contains("maxUnavailable"), e.getMessage());
    }
}
