package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;

/**
 * Whether a Secret found under the name of a cluster's secrets bundle may be used as that bundle. Anyone who can
 * create Secrets could otherwise plant CAs the cluster's machines would trust: a Secret is used only when it carries
 * Kiln's cluster label and an owner reference to the Cluster, or when someone deliberately adopted it with
 * {@value #ADOPT_ANNOTATION}{@code : "true"}.
 */
public final class SecretsBundleTrust {

    public static final String ADOPT_ANNOTATION = "kiln.dev/adopt-secrets";

    /** The outcome for one Secret. */
    public sealed interface Verdict {
        record Trusted() implements Verdict {
        }

        /** {@code message} names the Secret and what it lacks. */
        record Untrusted(String message) implements Verdict {
        }
    }

    /** What is known of the Secret and of the Cluster it should belong to; {@code clusterUid} may be unknown. */
    public record Facts(String secretName, Map<String, String> labels, Map<String, String> annotations,
            List<OwnerReference> owners, String clusterName, String clusterUid) {
        public Facts {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
            owners = owners == null ? List.of() : List.copyOf(owners);
        }
    }

    private SecretsBundleTrust() {
    }

    public static Verdict judge(Facts facts) {
        if ("true".equals(facts.annotations().get(ADOPT_ANNOTATION))) {
            return new Verdict.Trusted();
        }
        boolean labelled = facts.clusterName().equals(facts.labels().get(KilnLabels.CLUSTER_NAME));
        boolean owned = facts.owners().stream().anyMatch(owner -> isTheCluster(owner, facts));
        if (labelled && owned) {
            return new Verdict.Trusted();
        }
        return new Verdict.Untrusted("Secret " + facts.secretName() + " was not created by Kiln for Cluster "
                + facts.clusterName() + " (it needs label " + KilnLabels.CLUSTER_NAME + "=" + facts.clusterName()
                + " and an owner reference to the Cluster, or annotation " + ADOPT_ANNOTATION
                + ": \"true\" to adopt it); it is neither used nor overwritten");
    }

    private static boolean isTheCluster(OwnerReference owner, Facts facts) {
        return "Cluster".equals(owner.getKind())
                && owner.getApiVersion() != null && owner.getApiVersion().startsWith("cluster.x-k8s.io/")
                && facts.clusterName().equals(owner.getName())
                && (facts.clusterUid() == null || facts.clusterUid().equals(owner.getUid()));
    }
}
