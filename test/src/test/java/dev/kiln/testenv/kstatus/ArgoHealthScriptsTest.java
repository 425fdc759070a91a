package dev.kiln.testenv.kstatus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each Argo CD health script, on one sample object per rule, gives the expected health and agrees with kstatus. */
class ArgoHealthScriptsTest {

    static Stream<String> kinds() {
        return Stream.of("KilnControlPlane", "KilnCluster", "KilnMachine", "KilnConfig", "KilnServer");
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void readyAtTheCurrentGenerationIsHealthy(String kind) {
        check(kind, "Healthy", Samples.object(2, 2, Samples.condition("Ready", "True")));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void readyAtAnOlderGenerationIsProgressing(String kind) {
        check(kind, "Progressing", Samples.object(3, 2, Samples.condition("Ready", "True")));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void reconcilingIsProgressing(String kind) {
        check(kind, "Progressing", Samples.object(1, 1, Samples.condition("Ready", "False"),
                Samples.condition("Reconciling", "True")));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void readyFalseWithoutReconcilingIsProgressing(String kind) {
        check(kind, "Progressing", Samples.object(1, 1, Samples.condition("Ready", "False")));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void readyUnknownIsProgressing(String kind) {
        check(kind, "Progressing", Samples.object(1, 1, Samples.condition("Ready", "Unknown")));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void stalledIsDegraded(String kind) {
        check(kind, "Degraded", Samples.object(1, 1, Samples.condition("Ready", "False"),
                Samples.condition("Stalled", "True", "EvenReplicas")));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void pausedIsSuspendedWhateverElseItSays(String kind) {
        check(kind, "Suspended", Samples.object(4, 2, Samples.condition("Ready", "False"),
                Samples.condition("Stalled", "True"), Samples.condition("Paused", "True", "Paused")));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void notPausedCountsForNothing(String kind) {
        check(kind, "Healthy", Samples.object(1, 1, Samples.condition("Paused", "False", "NotPaused"),
                Samples.condition("Ready", "True")));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void beingDeletedIsProgressing(String kind) {
        check(kind, "Progressing", Samples.object(1, 1, Samples.condition("Ready", "True"))
                .withDeletionTimestamp("2026-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void withoutConditionsOnlyAServerIsHealthy(String kind) {
        check(kind, kind.equals("KilnServer") ? "Healthy" : "Progressing", Samples.object(1, null));
    }

    private static void check(String kind, String expected, Samples.Builder sample) {
        GenericKubernetesResource resource = sample.build();
        resource.setKind(kind);
        ArgoHealth.Health health = ArgoHealth.forKind(kind).of(resource);
        assertEquals(expected, health.status(), health.message());
        assertEquals(ArgoAgreement.expected(resource), health.status(), "disagrees with kstatus "
                + Kstatus.compute(resource) + " on " + List.of(resource.getAdditionalProperties()));
    }
}
