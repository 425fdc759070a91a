package dev.kiln.testenv.kstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.testenv.kstatus.Kstatus.Status;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

class KstatusTest {

    @Test
    void aMissingObjectIsNotFound() {
        assertEquals(Status.NOT_FOUND, Kstatus.compute(null).status());
    }

    @Test
    void aDeletionTimestampMakesItTerminatingWhateverItsConditions() {
        var object = Samples.object(2, 2, Samples.condition("Ready", "True"))
                .withDeletionTimestamp("2026-01-01T00:00:00Z").build();
        assertEquals(Status.TERMINATING, Kstatus.compute(object).status());
    }

    @Test
    void anUnobservedGenerationIsInProgressEvenWhenReady() {
        assertEquals(Status.IN_PROGRESS, status(Samples.object(3, 2, Samples.condition("Ready", "True"))));
    }

    @Test
    void anObservedGenerationAheadOfTheGenerationIsInProgress() {
        assertEquals(Status.IN_PROGRESS, status(Samples.object(2, 3, Samples.condition("Ready", "True"))));
    }

    @Test
    void aMissingObservedGenerationSkipsTheGenerationCheck() {
        assertEquals(Status.CURRENT, status(Samples.object(3, null, Samples.condition("Ready", "True"))));
    }

    @Test
    void reconcilingTrueIsInProgressEvenWhenReady() {
        assertEquals(Status.IN_PROGRESS, status(Samples.object(1, 1, Samples.condition("Ready", "True"),
                Samples.condition("Reconciling", "True"))));
    }

    @Test
    void stalledTrueIsFailed() {
        assertEquals(Status.FAILED, status(Samples.object(1, 1, Samples.condition("Ready", "False"),
                Samples.condition("Stalled", "True"))));
    }

    @Test
    void whicheverOfReconcilingAndStalledComesFirstDecides() {
        assertEquals(Status.FAILED, status(Samples.object(1, 1, Samples.condition("Stalled", "True"),
                Samples.condition("Reconciling", "True"))));
        assertEquals(Status.IN_PROGRESS, status(Samples.object(1, 1, Samples.condition("Reconciling", "True"),
                Samples.condition("Stalled", "True"))));
    }

    @Test
    void reconcilingAndStalledFalseAreIgnored() {
        assertEquals(Status.CURRENT, status(Samples.object(1, 1, Samples.condition("Reconciling", "False"),
                Samples.condition("Stalled", "False"), Samples.condition("Ready", "True"))));
    }

    @Test
    void readyFalseIsInProgress() {
        assertEquals(Status.IN_PROGRESS, status(Samples.object(1, 1, Samples.condition("Ready", "False"))));
    }

    @Test
    void readyUnknownIsInProgress() {
        assertEquals(Status.IN_PROGRESS, status(Samples.object(1, 1, Samples.condition("Ready", "Unknown"))));
    }

    @Test
    void readyTrueIsCurrent() {
        assertEquals(Status.CURRENT, status(Samples.object(1, 1, Samples.condition("Ready", "True"))));
    }

    @Test
    void withoutKnownConditionsItIsCurrent() {
        assertEquals(Status.CURRENT, status(Samples.object(1, 1, Samples.condition("Paused", "True"))));
        assertEquals(Status.CURRENT, status(Samples.object(1, null)));
    }

    @Test
    void kindsWithTheirOwnRulesAreRefused() {
        var deployment = Samples.object(1, 1).build();
        deployment.setKind("Deployment");
        assertThrows(IllegalArgumentException.class, () -> Kstatus.compute(deployment));
    }

    private static Status status(Samples.Builder object) {
        GenericKubernetesResource resource = object.build();
        return Kstatus.compute(resource).status();
    }
}
