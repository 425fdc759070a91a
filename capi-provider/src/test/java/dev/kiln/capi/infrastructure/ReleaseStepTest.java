package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReleaseStepTest {

    static final String NODE = ProvisionStepTest.NODE;
    static final Duration GIVE_UP = Duration.ofMinutes(2);
    static final NodeState DEAD = new NodeState(NODE, ProvisionStepTest.UNREACHABLE, ProvisionStepTest.UNREACHABLE);

    @Test
    void releasesWhenTheNodeAnswersInMaintenanceWithThePinnedFingerprint() {
        assertInstanceOf(ReleaseStep.Release.class, ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.MAINTENANCE, ProvisionStepTest.UNREACHABLE), Duration.ZERO,
                GIVE_UP));
    }

    @Test
    void resetsANodeThatStillRunsItsConfig() {
        assertInstanceOf(ReleaseStep.Reset.class, ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.UNREACHABLE, ProvisionStepTest.CONFIGURED), Duration.ZERO,
                GIVE_UP));
    }

    @Test
    void keepsTheServerWhileTheNodeIsUnreachable() {
        ReleaseStep step = ReleaseStep.next(DEAD, GIVE_UP.minusSeconds(1), GIVE_UP);
        assertEquals("NodeUnreachable", assertInstanceOf(ReleaseStep.Wait.class, step).reason());
    }

    @Test
    void givesUpOnANodeUnreachableForTheWholeGracePeriod() {
        ReleaseStep step = ReleaseStep.next(DEAD, GIVE_UP, GIVE_UP);
        String message = assertInstanceOf(ReleaseStep.GiveUp.class, step).message();
        assertTrue(message.contains(NODE) && message.contains("120 s"), message);
    }

    @Test
    void neverGivesUpOnANodeThatAnswersButRefuses() {
        NodeAnswer denied = new NodeAnswer.Failed("NodePermissionDenied", "node " + NODE + ": permission denied");
        ReleaseStep step = ReleaseStep.next(new NodeState(NODE, ProvisionStepTest.UNREACHABLE, denied),
                GIVE_UP.multipliedBy(10), GIVE_UP);
        assertEquals("NodePermissionDenied", assertInstanceOf(ReleaseStep.Wait.class, step).reason());
    }

    @Test
    void keepsTheServerWhenMaintenanceModeIsNotConfirmedByTheFingerprint() {
        assertInstanceOf(ReleaseStep.Wait.class, ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.FINGERPRINT_MISMATCH, ProvisionStepTest.MAINTENANCE),
                Duration.ZERO, GIVE_UP));
    }
}
