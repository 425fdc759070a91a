package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerKilnMetrics metrics = new MicrometerKilnMetrics(registry);
    private HealthServer server;

    @BeforeEach
    void start() {
        server = HealthServer.start(0, 0, new JosdkHealth(), registry::scrape);
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private String scrape() throws Exception {
        return Http.get(server.metricsPort(), "/metrics").body();
    }

    @Test
    void bootstrapsAreCountedPerCluster() throws Exception {
        metrics.bootstrapCalled("alpha");
        metrics.bootstrapCalled("beta");
        metrics.bootstrapCalled("beta");
        String body = scrape();
        assertTrue(body.contains("# TYPE kiln_bootstraps_total counter"), body);
        assertTrue(body.contains("kiln_bootstraps_total{cluster=\"alpha\"} 1.0"), body);
        assertTrue(body.contains("kiln_bootstraps_total{cluster=\"beta\"} 2.0"), body);
    }

    @Test
    void memberRemovalsAreCountedPerClusterAndReason() throws Exception {
        metrics.memberRemoved("alpha", "stale");
        metrics.memberRemoved("alpha", "machine-deleted");
        metrics.memberRemoved("alpha", "stale");
        String body = scrape();
        assertTrue(body.contains("# TYPE kiln_etcd_member_removals_total counter"), body);
        assertTrue(body.contains("kiln_etcd_member_removals_total{cluster=\"alpha\",reason=\"stale\"} 2.0"), body);
        assertTrue(body.contains(
                "kiln_etcd_member_removals_total{cluster=\"alpha\",reason=\"machine-deleted\"} 1.0"), body);
    }
}
