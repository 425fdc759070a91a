package dev.kiln.capi.cluster;

import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.Map;
import java.util.Optional;

/** Names, labels and owner references of the objects Kiln writes, in one place. */
public final class KilnLabels {

    public static final String CLUSTER_NAME = Machine.CLUSTER_NAME_LABEL;
    public static final String ETCD_HOOK = Machine.PRE_TERMINATE_HOOK_PREFIX + "kiln-etcd";
    public static final String HOOK_OWNER = "kiln";
    public static final String SECRET_TYPE = "cluster.x-k8s.io/secret";
    /** Marks a machine's bootstrap data Secret (its machine config), so a selector tells it from the cluster's own. */
    public static final String BOOTSTRAP_DATA = "bootstrap.kiln.dev/bootstrap-data";

    private KilnLabels() {
    }

    public static Map<String, String> forCluster(String clusterName) {
        return Map.of(CLUSTER_NAME, clusterName);
    }

    public static Map<String, String> forBootstrapData(String clusterName) {
        return Map.of(CLUSTER_NAME, clusterName, BOOTSTRAP_DATA, "true");
    }

    public static Optional<String> clusterOf(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Optional.empty() : Optional.ofNullable(labels.get(CLUSTER_NAME));
    }

    public static OwnerReference ownedBy(HasMetadata owner, boolean controller) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(controller ? Boolean.TRUE : null)
                .withBlockOwnerDeletion(controller ? Boolean.TRUE : null)
                .build();
    }

    public static Optional<OwnerReference> ownerOfKind(HasMetadata object, String kind) {
        return object.getMetadata().getOwnerReferences() == null ? Optional.empty()
                : object.getMetadata().getOwnerReferences().stream().filter(ref -> kind.equals(ref.getKind())).findFirst();
    }

    public static String secretsBundleName(String cluster) {
        return cluster + "-kiln-secrets";
    }

    public static String bootstrapRecordName(String cluster) {
        return cluster + "-kiln-bootstrap";
    }

    public static String caSecretName(String cluster) {
        return cluster + "-ca";
    }

    public static String kilnconfigSecretName(String cluster) {
        return cluster + "-kilnconfig";
    }

    public static String kubeconfigSecretName(String cluster) {
        return cluster + "-kubeconfig";
    }

    public static String serverClaimName(String server) {
        return "kiln-claim-" + server;
    }

    public static String serverBindingName(String kilnMachine) {
        return "kiln-binding-" + kilnMachine;
    }
}
