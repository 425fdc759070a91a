package dev.kiln.capi.crd;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import java.util.stream.Stream;

/** KilnControlPlane's own rules; its controlPlaneConfig carries KilnConfig's, in {@link KilnConfigSpecRuleTable}. */
final class KilnControlPlaneRuleTable {
    private static final RuleCase.Rows ODD_REPLICAS = RuleCase.of(KilnControlPlane.class, ".spec.replicas", "replicas must be odd");
    private static final RuleCase.Rows ONE_SOURCE = RuleCase.of(KilnControlPlane.class, ".spec.recoverFrom",
            "recoverFrom: set exactly one");
    private static final RuleCase.Rows KEY_WITH_DESTINATION = RuleCase.of(KilnControlPlane.class, ".spec.recoverFrom",
            "recoverFrom.key: required");
    private static final RuleCase.Rows IMAGE_FORM = RuleCase.of(KilnControlPlane.class, ".spec.releaseImage",
            "releaseImage must be URL@sha256");
    private static final RuleCase.Rows IMAGE_IN_PLACE = RuleCase.of(KilnControlPlane.class, ".spec",
            "releaseImage is installed in place");
    private static final String DIGEST = "0123456789abcdef".repeat(4);
    private static final String DESTINATION = "{endpoint: 'https://s3.example.com', bucket: b, "
            + "credentialsSecretRef: {name: s3}}";

    private KilnControlPlaneRuleTable() {}

    static Stream<RuleCase> rows() {
        return Stream.of(
                ODD_REPLICAS.accepts("oneReplicaIsAccepted", "1"),
                ODD_REPLICAS.accepts("threeReplicasAreAccepted", "3"),
                ODD_REPLICAS.accepts("fiveReplicasAreAccepted", "5"),
                ODD_REPLICAS.refuses("evenReplicasAreRefusedWithAMessageNamingSpecReplicas", "2"),
                ODD_REPLICAS.refuses("fourReplicasAreRefusedAsEven", "4"),
                ODD_REPLICAS.refuses("zeroReplicasAreRefusedAsTheReconcilerRefusesThem", "0"),
                ONE_SOURCE.accepts("recoveryFromANamedBackupIsAccepted", "{backupName: nightly}"),
                ONE_SOURCE.accepts("recoveryFromAnS3LocationIsAccepted", "{destination: " + DESTINATION + ", key: k}"),
                ONE_SOURCE.refuses("recoveryFromBothABackupAndALocationIsRefused",
                        "{backupName: nightly, destination: " + DESTINATION + ", key: k}"),
                ONE_SOURCE.refuses("recoveryFromNeitherIsRefused", "{key: k}"),
                KEY_WITH_DESTINATION.accepts("aNamedBackupNeedsNoKey", "{backupName: nightly}"),
                KEY_WITH_DESTINATION.refuses("anS3LocationWithoutAKeyIsRefused", "{destination: " + DESTINATION + "}"),
                IMAGE_FORM.acceptsText("anHttpsReleaseWithItsDigestIsAccepted",
                        "https://releases.example.com/node-init-v0.2.0.zip@sha256:" + DIGEST),
                IMAGE_FORM.acceptsText("aFileReleaseWithItsDigestIsAccepted",
                        "file:///srv/releases/node-init-v0.2.0.zip@sha256:" + DIGEST),
                IMAGE_FORM.refusesText("aReleaseWithoutADigestIsRefused",
                        "https://releases.example.com/node-init-v0.2.0.zip"),
                IMAGE_FORM.refusesText("aPlainHttpReleaseIsRefused",
                        "http://releases.example.com/node-init-v0.2.0.zip@sha256:" + DIGEST),
                IMAGE_FORM.refusesText("anUppercaseDigestIsRefused",
                        "https://releases.example.com/r.zip@sha256:" + DIGEST.toUpperCase()),
                IMAGE_IN_PLACE.accepts("aReleaseImageWithTheDefaultStrategyIsAccepted",
                        "{version: v0.2.0, releaseImage: 'file:///r.zip@sha256:" + DIGEST + "', machineTemplate: {}}"),
                IMAGE_IN_PLACE.accepts("aReleaseImageWithInPlaceIsAccepted",
                        "{version: v0.2.0, releaseImage: 'file:///r.zip@sha256:" + DIGEST + "', machineTemplate: {}, "
                                + "rolloutStrategy: {type: InPlace}}"),
                IMAGE_IN_PLACE.refuses("aReleaseImageWithRollingUpdateIsRefused",
                        "{version: v0.2.0, releaseImage: 'file:///r.zip@sha256:" + DIGEST + "', machineTemplate: {}, "
                                + "rolloutStrategy: {type: RollingUpdate}}"),
                IMAGE_IN_PLACE.accepts("rollingUpdateWithoutAReleaseImageIsAccepted",
                        "{version: v0.2.0, machineTemplate: {}, rolloutStrategy: {type: RollingUpdate}}"));
    }
}
