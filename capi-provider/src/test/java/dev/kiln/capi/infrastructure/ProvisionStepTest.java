package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProvisionStepTest {

    static final String NODE = "10.0.0.1:50000";
    static final NodeAnswer MAINTENANCE = new NodeAnswer.Maintenance();
    static final NodeAnswer CONFIGURED = new NodeAnswer.Configured();
    static final NodeAnswer UNREACHABLE = new NodeAnswer.Failed("NodeUnreachable", "node " + NODE + ": unreachable");
    static final NodeAnswer FINGERPRINT_MISMATCH =
            new NodeAnswer.Failed("NodeUnreachable", "node " + NODE + ": fingerprint mismatch");

    @Test
    void appliesTheConfigWhenTheNodeAnswersInMaintenanceWithThePinnedFingerprint() {
        assertInstanceOf(ProvisionStep.ApplyConfig.class,
                ProvisionStep.next(new NodeState(NODE, MAINTENANCE, UNREACHABLE)));
    }

    @Test
    void isProvisionedOnceTheNodeAnswersConfiguredOverMutualTls() {
        assertInstanceOf(ProvisionStep.MarkProvisioned.class,
                ProvisionStep.next(new NodeState(NODE, UNREACHABLE, CONFIGURED)));
    }

    @Test
    void waitsWhileTheNodeAnswersNeither() {
        ProvisionStep step = ProvisionStep.next(new NodeState(NODE, UNREACHABLE, UNREACHABLE));
        ProvisionStep.Wait wait = assertInstanceOf(ProvisionStep.Wait.class, step);
        assertEquals("NodeUnreachable", wait.reason());
        assertTrue(wait.message().contains(NODE), wait.message());
    }

    @Test
    void neverSendsConfigToAMaintenanceNodeThatDoesNotShowThePinnedFingerprint() {
        ProvisionStep step = ProvisionStep.next(new NodeState(NODE, FINGERPRINT_MISMATCH, MAINTENANCE));
        ProvisionStep.Wait wait = assertInstanceOf(ProvisionStep.Wait.class, step);
        assertTrue(wait.message().contains("fingerprint mismatch"), wait.message());
    }

    @Test
    void namesTheMutualTlsFailureFirst() {
        NodeAnswer denied = new NodeAnswer.Failed("NodePermissionDenied", "node " + NODE + ": denied");
        assertEquals("NodePermissionDenied",
                ((ProvisionStep.Wait) ProvisionStep.next(new NodeState(NODE, UNREACHABLE, denied))).reason());
    }
}
