package dev.kiln.capi.crd;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import java.util.stream.Stream;

/** KilnControlPlane's own rules; its controlPlaneConfig carries KilnConfig's, in {@link KilnConfigSpecRuleTable}. */
final class KilnControlPlaneRuleTable {
    private static final RuleCase.Rows ODD_REPLICAS = RuleCase.of(KilnControlPlane.class, ".spec.replicas", "replicas must be odd");

    private KilnControlPlaneRuleTable() {}

    static Stream<RuleCase> rows() {
        return Stream.of(
                ODD_REPLICAS.accepts("oneReplicaIsAccepted", "1"),
                ODD_REPLICAS.accepts("threeReplicasAreAccepted", "3"),
                ODD_REPLICAS.accepts("fiveReplicasAreAccepted", "5"),
                ODD_REPLICAS.refuses("evenReplicasAreRefusedWithAMessageNamingSpecReplicas", "2"),
                ODD_REPLICAS.refuses("fourReplicasAreRefusedAsEven", "4"),
                ODD_REPLICAS.refuses("zeroReplicasAreRefusedAsTheReconcilerRefusesThem", "0"));
    }
}
