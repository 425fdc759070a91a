package dev.kiln.capi.core.v1beta1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The convenience getters (isPaused, isControlPlane, isDeleting) are not fields: JOSDK clones every primary resource
 * by a JSON round trip, and a getter written as a field made that round trip fail for every Cluster.
 */
class DerivedGettersTest {

    private final KubernetesSerialization serialization = new KubernetesSerialization();

    @Test
    void aPausedClusterSurvivesAJsonRoundTripWithoutAPausedField() {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("c").withNamespace("default")
                .withAnnotations(Map.of(Cluster.PAUSED_ANNOTATION, "")).build());
        cluster.setSpec(new Cluster.Spec());

        String json = serialization.asJson(cluster);
        Cluster copy = serialization.clone(cluster);

        assertTrue(!serialization.unmarshal(json, Map.class).containsKey("paused"), json);
        assertTrue(copy.isPaused());
    }

    @Test
    void aControlPlaneMachineSurvivesAJsonRoundTripWithoutDerivedFields() {
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("default")
                .withLabels(Map.of(Machine.CONTROL_PLANE_LABEL, "")).withDeletionTimestamp("2026-01-01T00:00:00Z")
                .build());

        Map<?, ?> fields = serialization.unmarshal(serialization.asJson(machine), Map.class);
        Machine copy = serialization.clone(machine);

        assertEquals(false, fields.containsKey("controlPlane") || fields.containsKey("deleting"), fields.toString());
        assertTrue(copy.isControlPlane() && copy.isDeleting());
    }
}
