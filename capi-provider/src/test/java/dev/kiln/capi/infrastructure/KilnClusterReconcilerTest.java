package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.infrastructure.v1alpha1.ApiEndpoint;
import dev.kiln.capi.api.infrastructure.v1alpha1.FailureDomain;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterSpec;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.informers.SharedInformers;
import dev.kiln.capi.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
                new KilnClusterReconciler(new ClusterLookup(client), new SharedInformers(client), Clock.systemUTC())));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private KilnCluster create(String name, ApiEndpoint endpoint) {
        return client.resource(cluster(name, endpoint)).create();
    }

    private static KilnCluster cluster(String name, ApiEndpoint endpoint) {
        KilnCluster cluster = new KilnCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        KilnClusterSpec spec = new KilnClusterSpec();
        spec.setControlPlaneEndpoint(endpoint);
        cluster.setSpec(spec);
        return cluster;
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
    void reportsTheDeclaredFailureDomainsInTheContractListShape() throws Exception {
        KilnCluster cluster = cluster("zoned", new ApiEndpoint("10.0.0.10", 6443));
        FailureDomain workersOnly = new FailureDomain("zone-c", false);
        workersOnly.setAttributes(Map.of("rack", "r7"));
        cluster.getSpec().setFailureDomains(List.of(new FailureDomain("zone-a", true), workersOnly));
        client.resource(cluster).create();

        KilnCluster reported = harness.await(KilnCluster.class, "default", "zoned", "failure domains reported",
                c -> c.getStatus() != null && c.getStatus().getFailureDomains() != null);
        assertEquals(List.of("zone-a", "zone-c"), reported.getStatus().getFailureDomains().stream()
                .map(FailureDomain::getName).toList());
        assertEquals(Boolean.TRUE, reported.getStatus().getFailureDomains().get(0).getControlPlane());
        assertEquals(Map.of("rack", "r7"), reported.getStatus().getFailureDomains().get(1).getAttributes());
        assertEquals(Conditions.TRUE, Conditions.get(reported.getStatus(),
                KilnClusterReconciler.FAILURE_DOMAINS_REPORTED).orElseThrow().getStatus());
    }

    @Test
    void reportsNoFailureDomainWhileANameIsDeclaredTwiceAndNamesTheField() throws Exception {
        KilnCluster cluster = cluster("twice", new ApiEndpoint("10.0.0.10", 6443));
        cluster.getSpec().setFailureDomains(List.of(new FailureDomain("zone-a", true),
                new FailureDomain("zone-b", true), new FailureDomain("zone-a", false)));
        client.resource(cluster).create();

        KilnCluster refused = harness.await(KilnCluster.class, "default", "twice", "FailureDomainsReported=False",
                c -> c.getStatus() != null && Conditions.get(c.getStatus(),
                        KilnClusterReconciler.FAILURE_DOMAINS_REPORTED).isPresent());
        var condition = Conditions.get(refused.getStatus(), KilnClusterReconciler.FAILURE_DOMAINS_REPORTED)
                .orElseThrow();
        assertEquals(Conditions.FALSE, condition.getStatus());
        assertEquals("spec.failureDomains[2].name: zone-a is already declared at spec.failureDomains[0]; no failure "
                + "domain is reported until fixed", condition.getMessage());
        assertNull(refused.getStatus().getFailureDomains());
    }

    @Test
    void waitsWithAConditionNamingTheMissingEndpoint() throws Exception {
        create("no-endpoint", null);
        KilnCluster waiting = harness.await(KilnCluster.class, "default", "no-endpoint", "Ready=False",
                c -> c.getStatus() != null && Conditions.get(c.getStatus(), "Ready").isPresent());
        assertEquals(Boolean.FALSE, waiting.getStatus().getReady());
        assertTrue(Conditions.get(waiting.getStatus(), "Ready").get().getMessage()
                .startsWith("spec.controlPlaneEndpoint.host is not set"));
    }

    @Test
    void aMissingEndpointIsStalledSinceOnlyPeopleCanSetIt() throws Exception {
        create("stalled", null);
        KilnCluster stalled = harness.await(KilnCluster.class, "default", "stalled", "Stalled=True",
                c -> c.getStatus() != null && Conditions.isTrue(c.getStatus(), KstatusConditions.STALLED));
        assertEquals(KilnClusterReadiness.ENDPOINT_NOT_SET,
                Conditions.get(stalled.getStatus(), KstatusConditions.STALLED).get().getReason());
    }

    /** A KilnCluster with an endpoint and the paused annotation, once its Paused condition is True. */
    private KilnCluster createPaused(String name) throws Exception {
        KilnCluster cluster = new KilnCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default")
                .withAnnotations(Map.of(Cluster.PAUSED_ANNOTATION, "")).build());
        KilnClusterSpec spec = new KilnClusterSpec();
        spec.setControlPlaneEndpoint(new ApiEndpoint("10.0.0.10", 6443));
        cluster.setSpec(spec);
        client.resource(cluster).create();
        return harness.await(KilnCluster.class, "default", name, "Paused=True",
                c -> c.getStatus() != null && Conditions.isTrue(c.getStatus(), KstatusConditions.PAUSED));
    }

    @Test
    void thePausedAnnotationIsRecordedAndNothingElse() throws Exception {
        KilnCluster paused = createPaused("paused");

        assertNull(paused.getStatus().getReady());
        assertTrue(Conditions.get(paused.getStatus(), KstatusConditions.READY).isEmpty());
        assertEquals(paused.getMetadata().getGeneration(), paused.getStatus().getObservedGeneration());
    }

    @Test
    void removingThePausedAnnotationClearsPausedAndProvisions() throws Exception {
        createPaused("unpaused");

        client.resources(KilnCluster.class).inNamespace("default").withName("unpaused")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":null}}");

        KilnCluster ready = harness.await(KilnCluster.class, "default", "unpaused", "Ready=True",
                c -> c.getStatus() != null && Conditions.isTrue(c.getStatus(), KstatusConditions.READY));
        assertEquals(KstatusConditions.NOT_PAUSED_REASON,
                Conditions.get(ready.getStatus(), KstatusConditions.PAUSED).get().getReason());
    }

    @Test
    void unpausingItsClusterProvisionsTheKilnClusterWithoutWaitingForTheRequeue() throws Exception {
        Cluster owner = new Cluster();
        owner.setMetadata(new ObjectMetaBuilder().withName("owner").withNamespace("default").build());
        Cluster.Spec ownerSpec = new Cluster.Spec();
        ownerSpec.setPaused(true);
        owner.setSpec(ownerSpec);
        client.resource(owner).create();
        KilnCluster cluster = cluster("owned", new ApiEndpoint("10.0.0.10", 6443));
        cluster.getMetadata().setLabels(KilnLabels.forCluster("owner"));
        client.resource(cluster).create();
        harness.await(KilnCluster.class, "default", "owned", "Paused=True",
                c -> c.getStatus() != null && Conditions.isTrue(c.getStatus(), KstatusConditions.PAUSED));

        Cluster unpaused = client.resources(Cluster.class).inNamespace("default").withName("owner").get();
        unpaused.getSpec().setPaused(null);
        client.resource(unpaused).update();

        // Well within the 30 s requeue: the Cluster's event must bring the KilnCluster back.
        harness.await(KilnCluster.class, "default", "owned", "Ready=True",
                c -> Conditions.isTrue(c.getStatus(), KstatusConditions.READY), Duration.ofSeconds(10));
    }
}
