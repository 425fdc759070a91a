package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.KilnReconcilers;
import dev.kiln.capi.ProviderType;
import dev.kiln.capi.api.infrastructure.v1alpha1.ApiEndpoint;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterSpec;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.ReconcilerUtils;
import io.javaoperatorsdk.operator.RegisteredController;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole operator, wired as {@code main} wires it, against fabric8's CRUD mock server (SSA off, no Lease: the mock
 * has neither server-side apply nor SelfSubjectRulesReview).
 */
@EnableKubernetesMockClient(crud = true)
class KilnOperatorTest {

    KubernetesClient client;

    private KilnOperator kiln;

    /** What the mock server needs: no server-side apply, no Lease; ports picked by the system. */
    private static OperatorSettings onTheMockServer(Optional<String> watchNamespace) {
        return new OperatorSettings(watchNamespace, false, Optional.empty(), OperatorSettings.DEFAULT_LEASE_NAME, false,
                0, 0, "kiln-operator-test", Optional.empty(), Optional.empty());
    }

    private KilnOperator create(Optional<String> watchNamespace) {
        kiln = KilnOperator.create(onTheMockServer(watchNamespace), client, false,
                () -> {
                    throw new AssertionError("no Lease, so nothing may ask the process to exit");
                });
        return kiln;
    }

    @AfterEach
    void stop() {
        if (kiln != null) {
            kiln.stop();
        }
    }

    private KilnCluster kilnCluster(String namespace, String name) {
        KilnCluster cluster = new KilnCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        KilnClusterSpec spec = new KilnClusterSpec();
        spec.setControlPlaneEndpoint(new ApiEndpoint("10.0.0.10", 6443));
        cluster.setSpec(spec);
        return client.resource(cluster).create();
    }

    private static boolean isReady(KilnCluster cluster) {
        return cluster != null && cluster.getStatus() != null && Boolean.TRUE.equals(cluster.getStatus().getReady());
    }

    private KilnCluster await(String namespace, String name, Predicate<KilnCluster> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        KilnCluster last = null;
        while (System.nanoTime() < deadline) {
            last = client.resources(KilnCluster.class).inNamespace(namespace).withName(name).get();
            if (last != null && condition.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for KilnCluster " + namespace + "/" + name + "; last seen: " + last);
    }

    @Test
    void registersEveryReconcilerKilnProvides() {
        create(Optional.empty());
        Set<String> expected = KilnReconcilers.create(new ReconcilerDependencies(client, (address, creds) -> {
            throw new UnsupportedOperationException();
        }, KilnMetrics.NONE, "probe", Clock.systemUTC())).stream()
                .map(ReconcilerUtils::getNameFor)
                .collect(Collectors.toSet());
        Set<String> registered = kiln.operator().getRegisteredControllers().stream()
                .map(controller -> ((RegisteredController<?>) controller).getConfiguration().getName())
                .collect(Collectors.toSet());
        assertEquals(expected, registered);
    }

    @Test
    void reconcilesAKilnClusterToReady() throws Exception {
        create(Optional.empty()).start();
        kilnCluster("default", "demo");
        KilnCluster ready = await("default", "demo", KilnOperatorTest::isReady);
        assertEquals(Boolean.TRUE, ready.getStatus().getInitialization().getProvisioned());
    }

    @Test
    void isLiveButNotReadyBeforeStartAndReadyAfter() throws Exception {
        create(Optional.empty());
        assertEquals(200, Http.get(kiln.healthPort(), "/healthz").statusCode());
        assertEquals(503, Http.get(kiln.healthPort(), "/readyz").statusCode());
        kiln.start();
        assertEquals(200, Http.get(kiln.healthPort(), "/readyz").statusCode());
        assertEquals(200, Http.get(kiln.healthPort(), "/healthz").statusCode());
    }

    @Test
    void exposesJosdkReconcileCountsPerKindOnMetrics() throws Exception {
        create(Optional.empty()).start();
        kilnCluster("default", "counted");
        await("default", "counted", KilnOperatorTest::isReady);
        String body = Http.get(kiln.metricsPort(), "/metrics").body();
        assertTrue(body.lines().anyMatch(line -> line.startsWith("operator_sdk_reconciliations_success_total{")
                && line.matches(".*[{,]kind=\"KilnCluster\".*} [1-9][0-9]*\\.0")), body);
    }

    @Test
    void reconcilesOnlyTheWatchedNamespace() throws Exception {
        create(Optional.of("watched")).start();
        kilnCluster("elsewhere", "ignored");
        kilnCluster("watched", "seen");
        await("watched", "seen", KilnOperatorTest::isReady);
        Thread.sleep(500);
        assertNull(client.resources(KilnCluster.class).inNamespace("elsewhere").withName("ignored").get().getStatus());
    }

    @Test
    void aWatchFilterRestrictsEveryReconcilerToObjectsCarryingItsLabel() throws Exception {
        OperatorSettings filtered = new OperatorSettings(Optional.empty(), false, Optional.empty(),
                OperatorSettings.DEFAULT_LEASE_NAME, false, 0, 0, "kiln-operator-test", Optional.empty(),
                Optional.empty(), EnumSet.allOf(ProviderType.class), OperatorSettings.DEFAULT_UNREACHABLE_NODE_GRACE,
                Optional.of("team-a"));
        kiln = KilnOperator.create(filtered, client, false, () -> {
            throw new AssertionError("no Lease, so nothing may ask the process to exit");
        });

        for (var controller : kiln.operator().getRegisteredControllers()) {
            var configuration = ((RegisteredController<?>) controller).getConfiguration();
            assertEquals("cluster.x-k8s.io/watch-filter=team-a", configuration.getInformerConfig().getLabelSelector(),
                    configuration.getName());
        }
        kiln.start();
        kilnCluster("default", "unlabelled");
        KilnCluster labelled = kilnCluster("default", "labelled");
        labelled.getMetadata().setLabels(Map.of("cluster.x-k8s.io/watch-filter", "team-a"));
        client.resource(labelled).update();
        await("default", "labelled", KilnOperatorTest::isReady);
        assertNull(client.resources(KilnCluster.class).inNamespace("default").withName("unlabelled").get().getStatus());
    }

    @Test
    void stoppingClosesTheEndpoints() throws Exception {
        create(Optional.empty()).start();
        int healthPort = kiln.healthPort();
        kiln.stop();
        assertThrows(IOException.class, () -> Http.get(healthPort, "/healthz"));
    }
}
