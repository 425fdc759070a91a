package dev.kiln.capi.api.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Clock T0 = Clock.fixed(Instant.parse("2026-11-26T04:00:00.750Z"), ZoneOffset.UTC);
    private static final Clock T1 = Clock.fixed(Instant.parse("2026-11-26T05:00:00Z"), ZoneOffset.UTC);

    private final KilnMachineStatus status = new KilnMachineStatus();

    private static Condition ready(String status, String reason, long generation) {
        return new Condition("Ready", status, reason, "msg", generation);
    }

    @Test
    void newConditionGetsTheCurrentTimeInWholeSeconds() {
        assertTrue(Conditions.set(status, ready(Conditions.TRUE, "Up", 1), T0));

        assertEquals("2026-11-26T04:00:00Z", Conditions.get(status, "Ready").orElseThrow().getLastTransitionTime());
    }

    @Test
    void sameStatusKeepsTheTransitionTimeButTakesNewReasonAndGeneration() {
        Conditions.set(status, ready(Conditions.TRUE, "Up", 1), T0);

        assertTrue(Conditions.set(status, ready(Conditions.TRUE, "StillUp", 2), T1));

        Condition c = Conditions.get(status, "Ready").orElseThrow();
        assertEquals("2026-11-26T04:00:00Z", c.getLastTransitionTime());
        assertEquals("StillUp", c.getReason());
        assertEquals(2L, c.getObservedGeneration());
    }

    @Test
    void changedStatusMovesTheTransitionTime() {
        Conditions.set(status, ready(Conditions.TRUE, "Up", 1), T0);

        Conditions.set(status, ready(Conditions.FALSE, "Down", 1), T1);

        assertEquals("2026-11-26T05:00:00Z", Conditions.get(status, "Ready").orElseThrow().getLastTransitionTime());
    }

    @Test
    void settingAnIdenticalConditionReportsNoChange() {
        Conditions.set(status, ready(Conditions.TRUE, "Up", 1), T0);
        List<Condition> before = status.getConditions();

        assertFalse(Conditions.set(status, ready(Conditions.TRUE, "Up", 1), T1));
        assertEquals(before, status.getConditions());
    }

    @Test
    void replacesByTypeInPlaceAndLeavesOtherTypesAlone() {
        Conditions.set(status, new Condition("ServerClaimed", Conditions.TRUE, "Claimed", null, 1L), T0);
        Conditions.set(status, ready(Conditions.FALSE, "Booting", 1), T0);

        Conditions.set(status, new Condition("ServerClaimed", Conditions.FALSE, "Released", null, 2L), T1);

        assertEquals(2, status.getConditions().size());
        assertEquals("Released", status.getConditions().get(0).getReason());
        assertEquals("Booting", status.getConditions().get(1).getReason());
    }

    @Test
    void callersConditionIsCopiedNotShared() {
        Condition desired = ready(Conditions.TRUE, "Up", 1);

        Conditions.set(status, desired, T0);
        desired.setReason("Changed later");

        assertEquals("Up", Conditions.get(status, "Ready").orElseThrow().getReason());
    }

    @Test
    void isTrueOnlyForStatusTrue() {
        assertFalse(Conditions.isTrue(status, "Ready"));
        Conditions.set(status, ready(Conditions.UNKNOWN, "Checking", 1), T0);
        assertFalse(Conditions.isTrue(status, "Ready"));
        Conditions.set(status, ready(Conditions.TRUE, "Up", 1), T0);
        assertTrue(Conditions.isTrue(status, "Ready"));
    }

    @Test
    void removeDropsOnlyThatType() {
        Conditions.set(status, ready(Conditions.TRUE, "Up", 1), T0);
        Conditions.set(status, new Condition("ServerClaimed", Conditions.TRUE, "Claimed", null, 1L), T0);

        assertTrue(Conditions.remove(status, "Ready"));
        assertFalse(Conditions.remove(status, "Ready"));
        assertEquals(List.of("ServerClaimed"), status.getConditions().stream().map(Condition::getType).toList());
    }
}
