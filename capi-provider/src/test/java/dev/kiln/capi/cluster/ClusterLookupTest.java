package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.core.v1beta1.Cluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ClusterLookupTest {

    private static final String NS = "default";

    static KubernetesClient client;

    @Test
    void aClusterTheCacheHoldsIsReadFromTheCache() {
        client.resource(cluster("cached", false)).create();
        Cluster cached = cluster("cached", true);
        Function<ResourceID, Optional<Cluster>> cache =
                id -> id.equals(new ResourceID("cached", NS)) ? Optional.of(cached) : Optional.empty();

        Optional<Cluster> found = new ClusterLookup(client).clusterOf(labelled("cached"), cache);

        assertTrue(found.orElseThrow().isPaused());
    }

    @Test
    void aClusterTheCacheLacksIsReadLive() {
        client.resource(cluster("stored", true)).create();

        Optional<Cluster> found = new ClusterLookup(client).clusterOf(labelled("stored"), ClusterLookup.NOTHING_CACHED);

        assertTrue(found.orElseThrow().isPaused());
        assertEquals(NS, found.get().getMetadata().getNamespace());
    }

    @Test
    void aClusterNeitherCachedNorStoredIsNotFound() {
        assertEquals(Optional.empty(),
                new ClusterLookup(client).cluster(NS, "absent", ClusterLookup.NOTHING_CACHED));
    }

    private static KilnCluster labelled(String clusterName) {
        KilnCluster kilnCluster = new KilnCluster();
        kilnCluster.setMetadata(new ObjectMetaBuilder().withName(clusterName + "-infra").withNamespace(NS)
                .withLabels(Map.of(KilnLabels.CLUSTER_NAME, clusterName)).build());
        return kilnCluster;
    }

    private static Cluster cluster(String name, boolean paused) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        Cluster.Spec spec = new Cluster.Spec();
        spec.setPaused(paused);
        cluster.setSpec(spec);
        return cluster;
    }
}
