package dev.kiln.capi.api.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterStatus;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KstatusConditionsTest {

    private static final Clock CLOCK = Clock.systemUTC();

    private final KilnClusterStatus status = new KilnClusterStatus();

    @Test
    void doneIsReadyWithoutReconcilingOrStalled() {
        KstatusConditions.record(status, new Progress.Working("ScalingUp", "one more"), 1, CLOCK);
        KstatusConditions.record(status, new Progress.Done("Up", "all there"), 2, CLOCK);

        assertEquals(Conditions.TRUE, condition(KstatusConditions.READY).getStatus());
        assertEquals("Up", condition(KstatusConditions.READY).getReason());
        assertTrue(Conditions.get(status, KstatusConditions.RECONCILING).isEmpty());
        assertTrue(Conditions.get(status, KstatusConditions.STALLED).isEmpty());
        assertEquals(2L, status.getObservedGeneration());
    }

    @Test
    void workingIsReconcilingAndNotReady() {
        KstatusConditions.record(status, new Progress.Working("ScalingUp", "one more"), 1, CLOCK);

        assertEquals(Conditions.FALSE, condition(KstatusConditions.READY).getStatus());
        assertEquals(Conditions.TRUE, condition(KstatusConditions.RECONCILING).getStatus());
        assertEquals("one more", condition(KstatusConditions.RECONCILING).getMessage());
        assertTrue(Conditions.get(status, KstatusConditions.STALLED).isEmpty());
    }

    @Test
    void stuckIsStalledAndNotReadyAndNotReconciling() {
        KstatusConditions.record(status, new Progress.Working("ScalingUp", "one more"), 1, CLOCK);
        KstatusConditions.record(status, new Progress.Stuck("EvenReplicas", "4 is even"), 2, CLOCK);

        assertEquals(Conditions.FALSE, condition(KstatusConditions.READY).getStatus());
        assertEquals("EvenReplicas", condition(KstatusConditions.STALLED).getReason());
        assertTrue(Conditions.get(status, KstatusConditions.RECONCILING).isEmpty());
    }

    @Test
    void anUnpausedPassRecordsPausedFalseNotPaused() {
        KstatusConditions.record(status, new Progress.Done("Up", "all there"), 1, CLOCK);

        assertEquals(Conditions.FALSE, condition(KstatusConditions.PAUSED).getStatus());
        assertEquals(KstatusConditions.NOT_PAUSED_REASON, condition(KstatusConditions.PAUSED).getReason());
    }

    @Test
    void aPausedPassKeepsReadyAndRecordsPausedAndTheGeneration() {
        KstatusConditions.record(status, new Progress.Working("ScalingUp", "one more"), 1, CLOCK);

        assertTrue(KstatusConditions.recordPause(status, Optional.of("Cluster demo is paused"), 2, CLOCK));

        assertEquals(Conditions.TRUE, condition(KstatusConditions.PAUSED).getStatus());
        assertEquals(KstatusConditions.PAUSED_REASON, condition(KstatusConditions.PAUSED).getReason());
        assertEquals("ScalingUp", condition(KstatusConditions.RECONCILING).getReason());
        assertEquals(2L, status.getObservedGeneration());
    }

    @Test
    void aRepeatedPassChangesNothing() {
        KstatusConditions.record(status, new Progress.Done("Up", "all there"), 1, CLOCK);
        assertFalse(KstatusConditions.record(status, new Progress.Done("Up", "all there"), 1, CLOCK));
        KstatusConditions.recordPause(status, Optional.of("paused"), 1, CLOCK);
        assertFalse(KstatusConditions.recordPause(status, Optional.of("paused"), 1, CLOCK));
    }

    private Condition condition(String type) {
        return Conditions.get(status, type).orElseThrow();
    }
}
