package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReleaseStepTest {

    static final String NODE = ProvisionStepTest.NODE;

    @Test
    void releasesWhenTheNodeAnswersInMaintenanceWithThePinnedFingerprint() {
        assertInstanceOf(ReleaseStep.Release.class,
                ReleaseStep.next(new NodeState(NODE, ProvisionStepTest.MAINTENANCE, ProvisionStepTest.UNREACHABLE),
                        false));
    }

    @Test
    void resetsANodeThatStillRunsItsConfigGracefully() {
        ReleaseStep step = ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.UNREACHABLE, ProvisionStepTest.CONFIGURED), false);
        assertTrue(assertInstanceOf(ReleaseStep.Reset.class, step).graceful());
    }

    @Test
    void resetsANodeWithoutLeavingEtcdWhenItsClusterIsGoing() {
        ReleaseStep step = ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.UNREACHABLE, ProvisionStepTest.CONFIGURED), true);
        assertFalse(assertInstanceOf(ReleaseStep.Reset.class, step).graceful());
    }

    @Test
    void keepsTheServerWhileTheNodeIsUnreachable() {
        ReleaseStep step = ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.UNREACHABLE, ProvisionStepTest.UNREACHABLE), false);
        assertEquals("NodeUnreachable", assertInstanceOf(ReleaseStep.Wait.class, step).reason());
    }

    @Test
    void keepsTheServerWhenMaintenanceModeIsNotConfirmedByTheFingerprint() {
        assertInstanceOf(ReleaseStep.Wait.class, ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.FINGERPRINT_MISMATCH, ProvisionStepTest.MAINTENANCE), false));
    }
}
