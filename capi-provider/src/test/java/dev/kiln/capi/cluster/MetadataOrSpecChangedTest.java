package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MetadataOrSpecChangedTest {

    private final MetadataOrSpecChanged filter = new MetadataOrSpecChanged();

    private static KilnControlPlane controlPlane() {
        KilnControlPlane controlPlane = new KilnControlPlane();
        controlPlane.setMetadata(new ObjectMetaBuilder().withName("cp").withNamespace("ns").withGeneration(1L)
                .withResourceVersion("10").build());
        return controlPlane;
    }

    private boolean passes(Consumer<KilnControlPlane> change) {
        KilnControlPlane updated = controlPlane();
        change.accept(updated);
        return filter.accept(updated, controlPlane());
    }

    @Test
    void aStatusWriteAloneDoesNotPass() {
        assertFalse(passes(cp -> {
            cp.getMetadata().setResourceVersion("11");
            KilnControlPlaneStatus status = new KilnControlPlaneStatus();
            status.setLastDecision("Steady");
            cp.setStatus(status);
        }));
    }

    @Test
    void aSpecChangePasses() {
        assertTrue(passes(cp -> cp.getMetadata().setGeneration(2L)));
    }

    @Test
    void anAdoptionByItsClusterPasses() {
        assertTrue(passes(cp -> cp.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                .withKind("Cluster").withName("demo").withUid("u").build()))));
        assertTrue(passes(cp -> cp.getMetadata().setLabels(Map.of(KilnLabels.CLUSTER_NAME, "demo"))));
    }

    @Test
    void aPausedAnnotationPasses() {
        assertTrue(passes(cp -> cp.getMetadata().setAnnotations(Map.of("cluster.x-k8s.io/paused", ""))));
    }

    @Test
    void deletionAndFinalizersPass() {
        assertTrue(passes(cp -> cp.getMetadata().setDeletionTimestamp("2026-12-05T12:00:00Z")));
        assertTrue(passes(cp -> cp.getMetadata().setFinalizers(List.of("kiln.dev/cleanup"))));
    }
}
