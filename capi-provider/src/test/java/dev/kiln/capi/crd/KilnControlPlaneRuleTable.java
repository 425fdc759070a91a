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
                KEY_WITH_DESTINATION.refuses("anS3LocationWithoutAKeyIsRefused", "{destination: " + DESTINATION + "}"));
    }
}
