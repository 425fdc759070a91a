package dev.kiln.capi.crd;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.stream.Stream;

/** KilnMachine's spec, also as a KilnMachineTemplate's template carries it. */
final class KilnMachineRuleTable {

    private KilnMachineRuleTable() {}

    static Stream<RuleCase> rows() {
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
}
