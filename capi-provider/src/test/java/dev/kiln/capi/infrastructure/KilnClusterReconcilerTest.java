package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.infrastructure.v1alpha1.ApiEndpoint;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterSpec;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KilnClusterReconcilerTest {

    static KubernetesClient client;

    private OperatorHarness harness;

    @BeforeEach
    void start() {
        harness = OperatorHarness.start(client, List.of(
                new KilnClusterReconciler(new ClusterLookup(client), Clock.systemUTC())));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private KilnCluster create(String name, ApiEndpoint endpoint) {
        KilnCluster cluster = new KilnCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        KilnClusterSpec spec = new KilnClusterSpec();
        spec.setControlPlaneEndpoint(endpoint);
        cluster.setSpec(spec);
        return client.resource(cluster).create();
    }

    @Test
    void isProvisionedOnceTheEndpointIsKnown() throws Exception {
        create("with-endpoint", new ApiEndpoint("10.0.0.10", 6443));
        KilnCluster ready = harness.await(KilnCluster.class, "default", "with-endpoint", "provisioned",
                c -> c.getStatus() != null && Boolean.TRUE.equals(c.getStatus().getReady()));
        assertEquals(Boolean.TRUE, ready.getStatus().getInitialization().getProvisioned());
        assertEquals(ready.getMetadata().getGeneration(), ready.getStatus().getObservedGeneration());
    }

    @Test
    void waitsWithAConditionNamingTheMissingEndpoint() throws Exception {
        create("no-endpoint", null);
        KilnCluster waiting = harness.await(KilnCluster.class, "default", "no-endpoint", "Ready=False",
                c -> c.getStatus() != null && Conditions.get(c.getStatus(), "Ready").isPresent());
        assertEquals(Boolean.FALSE, waiting.getStatus().getReady());
        assertEquals("spec.controlPlaneEndpoint.host is not set",
                Conditions.get(waiting.getStatus(), "Ready").get().getMessage());
    }
}
