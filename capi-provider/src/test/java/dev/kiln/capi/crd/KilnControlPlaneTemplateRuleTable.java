package dev.kiln.capi.crd;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneTemplate;
import java.util.stream.Stream;

/** KilnControlPlaneTemplate's own rules: its release image takes the same form and strategy as a KilnControlPlane's. */
final class KilnControlPlaneTemplateRuleTable {
    private static final RuleCase.Rows IMAGE_FORM = RuleCase.of(KilnControlPlaneTemplate.class,
            ".spec.template.spec.releaseImage", "releaseImage must be URL@sha256");
    private static final RuleCase.Rows IMAGE_IN_PLACE = RuleCase.of(KilnControlPlaneTemplate.class,
            ".spec.template.spec", "releaseImage is installed in place");
    private static final String DIGEST = "0123456789abcdef".repeat(4);

    private KilnControlPlaneTemplateRuleTable() {}

    static Stream<RuleCase> rows() {
        return Stream.of(
                IMAGE_FORM.acceptsText("aTemplateReleaseImageWithItsDigestIsAccepted",
                        "https://releases.example.com/r.zip@sha256:" + DIGEST),
                IMAGE_FORM.refusesText("aTemplateReleaseImageWithoutADigestIsRefused",
                        "https://releases.example.com/r.zip"),
                IMAGE_IN_PLACE.accepts("aTemplateReleaseImageWithTheDefaultStrategyIsAccepted",
                        "{releaseImage: 'file:///r.zip@sha256:" + DIGEST + "', machineTemplate: {}}"),
                IMAGE_IN_PLACE.refuses("aTemplateReleaseImageWithRollingUpdateIsRefused",
                        "{releaseImage: 'file:///r.zip@sha256:" + DIGEST + "', machineTemplate: {}, "
                                + "rolloutStrategy: {type: RollingUpdate}}"));
    }
}
