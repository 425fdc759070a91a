package dev.kiln.capi.etcd;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackup;
import dev.kiln.capi.api.controlplane.v1alpha1.RecoverFrom;
import dev.kiln.capi.backup.RecoveryPlan;
import dev.kiln.capi.backup.S3CredentialsSecret;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.core.v1beta1.Cluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Whether the cluster's etcd is to be bootstrapped from a backup: its KilnControlPlane's {@code spec.recoverFrom}. */
sealed interface RecoveryRequest {

    record None() implements RecoveryRequest {}

    record Requested(Recovery recovery) implements RecoveryRequest {}

    /** Asked for, but not usable as written: no bootstrap until it is fixed. */
    record Refused(String reason) implements RecoveryRequest {}

    static RecoveryRequest of(KubernetesClient client, Cluster cluster) {
        Optional<KilnControlPlane> controlPlane = new ClusterLookup(client).kilnControlPlaneOf(cluster);
        String namespace = cluster.getMetadata().getNamespace();
        RecoverFrom from = controlPlane.map(KilnControlPlane::getSpec).map(spec -> spec.getRecoverFrom()).orElse(null);
        if (from == null) {
            return new None();
        }
        String named = "KilnControlPlane " + controlPlane.get().getMetadata().getName();
        Optional<KilnEtcdBackup> backup = from.getBackupName() == null ? Optional.empty()
                : Optional.ofNullable(client.resources(KilnEtcdBackup.class).inNamespace(namespace)
                        .withName(from.getBackupName()).get());
        RecoveryPlan plan = RecoveryPlan.of(from, backup);
        if (plan instanceof RecoveryPlan.Invalid invalid) {
            return new Refused(named + ": " + invalid.reason());
        }
        RecoveryPlan.Source source = (RecoveryPlan.Source) plan;
        try {
            return new Requested(new Recovery(source, S3CredentialsSecret.read(client, namespace,
                    source.credentialsSecret())));
        } catch (IllegalArgumentException e) {
            return new Refused(named + ": spec.recoverFrom: " + e.getMessage());
        }
    }
}
