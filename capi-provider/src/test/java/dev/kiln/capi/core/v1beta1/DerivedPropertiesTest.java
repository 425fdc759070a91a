package dev.kiln.capi.core.v1beta1;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Derived getters (isControlPlane, isDeleting, isPaused) must not be written: read back, they would fail. */
class DerivedPropertiesTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    void aMachineRoundTripsWithoutItsDerivedProperties() {
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName("m").withLabels(Map.of(Machine.CONTROL_PLANE_LABEL, ""))
                .build());
        String json = JSON.asJson(machine);

        Map<?, ?> topLevel = JSON.unmarshal(json, Map.class);
        assertFalse(topLevel.containsKey("controlPlane"), json);
        assertFalse(topLevel.containsKey("deleting"), json);
        assertTrue(JSON.unmarshal(json, Machine.class).isControlPlane());
    }

    @Test
    void aClusterRoundTripsWithoutItsDerivedProperties() {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("c").build());
        cluster.setSpec(new Cluster.Spec());
        cluster.getSpec().setPaused(true);
        String json = JSON.asJson(cluster);

        assertFalse(JSON.unmarshal(json, Map.class).containsKey("paused"), json);
        assertTrue(JSON.unmarshal(json, Cluster.class).isPaused());
    }
}
