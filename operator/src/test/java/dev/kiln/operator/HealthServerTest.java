package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthServerTest {

    /** Health whose verdicts the test sets. */
    private static final class SettableHealth implements OperatorHealth {
        volatile Check liveness = Check.ok("alive");
        volatile Check readiness = Check.failing("starting: informers not synced yet");

        @Override
        public Check liveness() {
            return liveness;
        }

        @Override
        public Check readiness() {
            return readiness;
        }
    }

    private final SettableHealth health = new SettableHealth();
    private HealthServer server;

    @BeforeEach
    void start() {
        server = HealthServer.start(0, 0, health, () -> "# metrics\nkiln_up 1.0\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthzIs200WhileLive() throws Exception {
        HttpResponse<String> response = Http.get(server.healthPort(), "/healthz");
        assertEquals(200, response.statusCode());
        assertEquals("alive\n", response.body());
    }

    @Test
    void healthzIs503WithTheReasonOnceFatal() throws Exception {
        health.liveness = OperatorHealth.Check.failing("fatal: informer for KilnCluster stopped: gone");
        HttpResponse<String> response = Http.get(server.healthPort(), "/healthz");
        assertEquals(503, response.statusCode());
        assertEquals("fatal: informer for KilnCluster stopped: gone\n", response.body());
    }

    @Test
    void readyzIs503UntilReady() throws Exception {
        HttpResponse<String> response = Http.get(server.healthPort(), "/readyz");
        assertEquals(503, response.statusCode());
        assertEquals("starting: informers not synced yet\n", response.body());
    }

    @Test
    void readyzIs200OnceReady() throws Exception {
        health.readiness = OperatorHealth.Check.ok("ready");
        assertEquals(200, Http.get(server.healthPort(), "/readyz").statusCode());
    }

    @Test
    void headAnswersTheStatusWithoutABody() throws Exception {
        HttpResponse<String> response = Http.send(server.healthPort(), "/readyz", "HEAD");
        assertEquals(503, response.statusCode());
        assertEquals("", response.body());
    }

    @Test
    void otherMethodsAre405() throws Exception {
        assertEquals(405, Http.send(server.healthPort(), "/healthz", "POST").statusCode());
    }

    @Test
    void unknownPathsAre404() throws Exception {
        assertEquals(404, Http.get(server.healthPort(), "/healthzz").statusCode());
        assertEquals(404, Http.get(server.healthPort(), "/metrics").statusCode());
    }

    @Test
    void metricsAreServedAsPrometheusTextOnTheMetricsPort() throws Exception {
        HttpResponse<String> response = Http.get(server.metricsPort(), "/metrics");
        assertEquals(200, response.statusCode());
        assertEquals(HealthServer.PROMETHEUS_TEXT, response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.body().contains("kiln_up 1.0"), response.body());
        assertEquals(404, Http.get(server.metricsPort(), "/healthz").statusCode());
    }

    @Test
    void closingStopsAnswering() {
        int port = server.healthPort();
        server.close();
        IOException refused = assertThrows(IOException.class, () -> Http.get(port, "/healthz"));
        assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException,
                refused.toString());
    }
}
