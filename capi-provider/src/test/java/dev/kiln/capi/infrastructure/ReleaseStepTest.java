package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;

class ReleaseStepTest {

    static final String NODE = ProvisionStepTest.NODE;

    @Test
    void releasesWhenTheNodeAnswersInMaintenanceWithThePinnedFingerprint() {
        assertInstanceOf(ReleaseStep.Release.class,
                ReleaseStep.next(new NodeState(NODE, ProvisionStepTest.MAINTENANCE, ProvisionStepTest.UNREACHABLE)));
    }

    @Test
    void resetsANodeThatStillRunsItsConfig() {
        assertInstanceOf(ReleaseStep.Reset.class,
                ReleaseStep.next(new NodeState(NODE, ProvisionStepTest.UNREACHABLE, ProvisionStepTest.CONFIGURED)));
    }

    @Test
    void keepsTheServerWhileTheNodeIsUnreachable() {
        ReleaseStep step = ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.UNREACHABLE, ProvisionStepTest.UNREACHABLE));
        assertEquals("NodeUnreachable", assertInstanceOf(ReleaseStep.Wait.class, step).reason());
    }

    @Test
    void keepsTheServerWhenMaintenanceModeIsNotConfirmedByTheFingerprint() {
        assertInstanceOf(ReleaseStep.Wait.class, ReleaseStep.next(
                new NodeState(NODE, ProvisionStepTest.FINGERPRINT_MISMATCH, ProvisionStepTest.MAINTENANCE)));
    }
}
