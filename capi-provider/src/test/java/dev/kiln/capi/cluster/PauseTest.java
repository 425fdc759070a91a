package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.core.v1beta1.Cluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PauseTest {

    @Test
    void nothingPausedIsNotPaused() {
        assertTrue(Pause.of(kilnCluster(Map.of()), Optional.of(cluster(false, Map.of()))).isEmpty());
        assertTrue(Pause.of(kilnCluster(Map.of()), Optional.empty()).isEmpty());
    }

    @Test
    void theObjectsOwnAnnotationPausesItWithoutACluster() {
        assertEquals(Optional.of("KilnCluster demo has annotation cluster.x-k8s.io/paused"),
                Pause.of(kilnCluster(Map.of(Cluster.PAUSED_ANNOTATION, "")), Optional.empty()));
    }

    @Test
    void theClustersSpecPausedPausesIt() {
        assertEquals(Optional.of("Cluster demo is paused (spec.paused)"),
                Pause.of(kilnCluster(Map.of()), Optional.of(cluster(true, Map.of()))));
    }

    @Test
    void theClustersAnnotationPausesIt() {
        assertEquals(Optional.of("Cluster demo is paused (annotation cluster.x-k8s.io/paused)"),
                Pause.of(kilnCluster(Map.of()), Optional.of(cluster(false, Map.of(Cluster.PAUSED_ANNOTATION, "")))));
    }

    private static KilnCluster kilnCluster(Map<String, String> annotations) {
        KilnCluster kilnCluster = new KilnCluster();
        kilnCluster.setMetadata(new ObjectMetaBuilder().withName("demo").withAnnotations(annotations).build());
        return kilnCluster;
    }

    private static Cluster cluster(boolean paused, Map<String, String> annotations) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("demo").withAnnotations(annotations).build());
        Cluster.Spec spec = new Cluster.Spec();
        spec.setPaused(paused);
        cluster.setSpec(spec);
        return cluster;
    }
}
