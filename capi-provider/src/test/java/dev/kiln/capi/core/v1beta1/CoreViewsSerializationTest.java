package dev.kiln.capi.core.v1beta1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Helper methods such as isPaused() must not become fields: a stored object with them no longer reads back. */
class CoreViewsSerializationTest {

    private static List<String> rootFields(Object object) {
        JsonNode tree = Serialization.jsonMapper().valueToTree(object);
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void clusterWritesOnlyKubernetesRootFields() {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("demo").build());
        cluster.setSpec(new Cluster.Spec());

        assertEquals(List.of("apiVersion", "kind", "metadata", "spec"), rootFields(cluster));
    }

    @Test
    void machineWritesOnlyKubernetesRootFields() {
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName("demo-cp-0").build());
        machine.setSpec(new MachineSpec());

        assertEquals(List.of("apiVersion", "kind", "metadata", "spec"), rootFields(machine));
    }
}
