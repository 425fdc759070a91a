package dev.kiln.capi.crd;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** KilnMachine's spec, also as a KilnMachineTemplate's template carries it. */
class KilnMachineRulesTest {

    static Stream<RuleCase> cases() {
        return Stream.concat(at(KilnMachine.class, ".spec"), at(KilnMachineTemplate.class, ".spec.template.spec"));
    }

    private static Stream<RuleCase> at(Class<? extends HasMetadata> kind, String spec) {
        RuleCase.Rows providerId = RuleCase.of(kind, spec, "providerID cannot change");
        return Stream.of(
                providerId.acceptsChange("providerIdMayBeSetOnce", "{}", "providerID: kiln://server-a"),
                providerId.acceptsChange("unchangedProviderIdIsAccepted", "providerID: kiln://server-a",
                        "providerID: kiln://server-a"),
                providerId.refusesChange("changedProviderIdIsRefusedWithAMessageNamingProviderId",
                        "providerID: kiln://server-a", "providerID: kiln://server-b"),
                providerId.refusesChange("removedProviderIdIsRefused", "providerID: kiln://server-a", "{}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleDecidesAsTheTableSays(RuleCase row) {
        row.check();
    }
}
