package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.ApiEndpoint;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leader election through a real Lease on fabric8's CRUD mock server. The mock cannot answer JOSDK's
 * SelfSubjectRulesReview (it has no RBAC), so the test answers it with the rule the chart grants.
 */
@EnableKubernetesMockClient(crud = true)
class KilnOperatorLeaderElectionTest {

    private static final String LEASE_NAMESPACE = "kiln-system";

    KubernetesMockServer server;
    KubernetesClient client;

    private final List<KilnOperator> replicas = new ArrayList<>();

    @BeforeEach
    void grantLeaseAccess() {
        SelfSubjectRulesReview review = new SelfSubjectRulesReviewBuilder()
                .withNewSpec().withNamespace(LEASE_NAMESPACE).endSpec()
                .withNewStatus().withIncomplete(false)
                .withResourceRules(new ResourceRuleBuilder().withApiGroups("coordination.k8s.io")
                        .withResources("leases").withVerbs("get", "create", "update").build())
                .endStatus().build();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, review).always();
    }

    @AfterEach
    void stopAll() {
        replicas.forEach(KilnOperator::stop);
    }

    private KilnOperator replica(String identity, Runnable exit) {
        OperatorSettings settings = new OperatorSettings(Optional.empty(), true, Optional.of(LEASE_NAMESPACE),
                "kiln-operator", false, 0, 0, identity, Optional.empty(), Optional.empty());
        KilnOperator replica = KilnOperator.create(settings, client, false, exit);
        replicas.add(replica);
        replica.start();
        return replica;
    }

    private Lease lease() {
        return client.leases().inNamespace(LEASE_NAMESPACE).withName("kiln-operator").get();
    }

    private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private String holder() {
        Lease lease = lease();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private KilnCluster kilnCluster(String name) {
        KilnCluster cluster = new KilnCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        KilnClusterSpec spec = new KilnClusterSpec();
        spec.setControlPlaneEndpoint(new ApiEndpoint("10.0.0.10", 6443));
        cluster.setSpec(spec);
        return client.resource(cluster).create();
    }

    private Boolean readyOf(String name) {
        KilnCluster cluster = client.resources(KilnCluster.class).inNamespace("default").withName(name).get();
        return cluster.getStatus() == null ? null : cluster.getStatus().getReady();
    }

    @Test
    void theLeaderTakesTheLeaseAndReconciles() throws Exception {
        replica("replica-a", () -> { });
        assertEquals("replica-a", await("a Lease holder", this::holder));
        kilnCluster("led");
        assertEquals(Boolean.TRUE, await("KilnCluster led ready", () -> readyOf("led")));
    }

    @Test
    void aStandbyIsReadyWithoutTheLease() throws Exception {
        replica("replica-a", () -> { });
        await("a Lease holder", this::holder);
        KilnOperator standby = replica("replica-b", () -> { });
        assertEquals(200, Http.get(standby.healthPort(), "/readyz").statusCode());
        assertEquals("replica-a", holder());
    }

    @Test
    void aStandbyReconcilesNothing() throws Exception {
        KilnOperator leader = replica("replica-a", () -> { });
        await("a Lease holder", this::holder);
        replica("replica-b", () -> { });
        leader.stop();
        kilnCluster("unled");
        Thread.sleep(1000);
        assertNull(readyOf("unled"), "the standby reconciled while replica-a still held the Lease");
    }

    @Test
    void aLeaderWhoseLeaseIsTakenAsksToExit() throws Exception {
        CountDownLatch exited = new CountDownLatch(1);
        replica("replica-a", exited::countDown);
        await("a Lease holder", this::holder);
        Lease stolen = lease();
        stolen.getSpec().setHolderIdentity("thief");
        stolen.getSpec().setLeaseDurationSeconds(3600);
        stolen.getSpec().setRenewTime(ZonedDateTime.now());
        client.resource(stolen).update();
        assertTrue(exited.await(30, TimeUnit.SECONDS), "replica-a kept running without the Lease");
    }
}
