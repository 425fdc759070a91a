package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.cluster.SecretsBundleTrust.Facts;
import dev.kiln.capi.cluster.SecretsBundleTrust.Verdict;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsBundleTrustTest {

    private static final Map<String, String> LABEL = Map.of(KilnLabels.CLUSTER_NAME, "demo");

    private static OwnerReference owner(String apiVersion, String kind, String name, String uid) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid).build();
    }

    private static final OwnerReference CLUSTER = owner("cluster.x-k8s.io/v1beta1", "Cluster", "demo", "uid-1");

    private static Verdict judge(Map<String, String> labels, Map<String, String> annotations,
            List<OwnerReference> owners, String clusterUid) {
        return SecretsBundleTrust.judge(new Facts("demo-kiln-secrets", labels, annotations, owners, "demo", clusterUid));
    }

    @Test
    void trustsKilnsLabelWithAnOwnerReferenceToTheCluster() {
        assertInstanceOf(Verdict.Trusted.class, judge(LABEL, null, List.of(CLUSTER), "uid-1"));
        assertInstanceOf(Verdict.Trusted.class, judge(LABEL, null, List.of(CLUSTER), null));
    }

    @Test
    void trustsAnExplicitAdoption() {
        assertInstanceOf(Verdict.Trusted.class, judge(null, Map.of(SecretsBundleTrust.ADOPT_ANNOTATION, "true"),
                null, "uid-1"));
    }

    @Test
    void distrustsASecretWithoutLabelOrOwner() {
        Verdict verdict = judge(null, null, null, "uid-1");
        String message = assertInstanceOf(Verdict.Untrusted.class, verdict).message();
        assertTrue(message.startsWith("Secret demo-kiln-secrets was not created by Kiln for Cluster demo"), message);
        assertTrue(message.contains(SecretsBundleTrust.ADOPT_ANNOTATION), message);
    }

    @Test
    void distrustsTheLabelAlone() {
        assertInstanceOf(Verdict.Untrusted.class, judge(LABEL, null, null, "uid-1"));
    }

    @Test
    void distrustsAnOwnerAlone() {
        assertInstanceOf(Verdict.Untrusted.class, judge(null, null, List.of(CLUSTER), "uid-1"));
    }

    @Test
    void distrustsAnOwnerThatIsAnotherCluster() {
        assertInstanceOf(Verdict.Untrusted.class,
                judge(LABEL, null, List.of(owner("cluster.x-k8s.io/v1beta1", "Cluster", "other", "uid-1")), "uid-1"));
        assertInstanceOf(Verdict.Untrusted.class,
                judge(LABEL, null, List.of(owner("cluster.x-k8s.io/v1beta1", "Cluster", "demo", "uid-old")), "uid-1"));
        assertInstanceOf(Verdict.Untrusted.class,
                judge(LABEL, null, List.of(owner("example.com/v1", "Cluster", "demo", "uid-1")), "uid-1"));
        assertInstanceOf(Verdict.Untrusted.class,
                judge(Map.of(KilnLabels.CLUSTER_NAME, "other"), null, List.of(CLUSTER), "uid-1"));
    }

    @Test
    void distrustsAnAdoptAnnotationThatIsNotTrue() {
        assertInstanceOf(Verdict.Untrusted.class,
                judge(null, Map.of(SecretsBundleTrust.ADOPT_ANNOTATION, "yes"), null, "uid-1"));
        assertEquals(Verdict.Untrusted.class,
                judge(null, Map.of(SecretsBundleTrust.ADOPT_ANNOTATION, "True"), null, "uid-1").getClass());
    }
}
