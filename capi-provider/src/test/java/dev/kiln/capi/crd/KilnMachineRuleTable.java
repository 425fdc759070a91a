package dev.kiln.capi.crd;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.stream.Stream;

/** KilnMachine's spec, also as a KilnMachineTemplate's template carries it. */
final class KilnMachineRuleTable {

    private static final String DIGEST = "0123456789abcdef".repeat(4);

    private KilnMachineRuleTable() {}

    static Stream<RuleCase> rows() {
        return Stream.concat(at(KilnMachine.class, ".spec"), at(KilnMachineTemplate.class, ".spec.template.spec"));
    }

    private static Stream<RuleCase> at(Class<? extends HasMetadata> kind, String spec) {
        RuleCase.Rows providerId = RuleCase.of(kind, spec, "providerID cannot change");
        RuleCase.Rows image = RuleCase.of(kind, spec + ".releaseImage", "releaseImage must be URL@sha256");
        return Stream.of(
                image.acceptsText("anHttpsReleaseWithItsDigestIsAccepted",
                        "https://releases.example.com/node-init-v0.2.0.zip@sha256:" + DIGEST),
                image.acceptsText("aFileReleaseWithItsDigestIsAccepted",
                        "file:///srv/releases/node-init-v0.2.0.zip@sha256:" + DIGEST),
                image.refusesText("aReleaseWithoutADigestIsRefused", "https://releases.example.com/r.zip"),
                image.refusesText("aPlainHttpReleaseIsRefused", "http://releases.example.com/r.zip@sha256:" + DIGEST),
                image.refusesText("aShortDigestIsRefused", "https://releases.example.com/r.zip@sha256:0123abcd"),
                providerId.acceptsChange("providerIdMayBeSetOnce", "{}", "providerID: kiln://server-a"),
                providerId.acceptsChange("unchangedProviderIdIsAccepted", "providerID: kiln://server-a",
                        "providerID: kiln://server-a"),
                providerId.refusesChange("changedProviderIdIsRefusedWithAMessageNamingProviderId",
                        "providerID: kiln://server-a", "providerID: kiln://server-b"),
                providerId.refusesChange("removedProviderIdIsRefused", "providerID: kiln://server-a", "{}"));
    }
}
