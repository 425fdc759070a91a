package dev.kiln.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoints on the JDK's own server: /healthz and /readyz on the health port, /metrics
 * (Prometheus text) on the metrics port. Health answers 200 or 503 with a one-line reason.
 */
public final class HealthServer implements AutoCloseable {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String PLAIN_TEXT = "text/plain; charset=utf-8";

    private final HttpServer health;
    private final HttpServer metrics;
    private final ExecutorService executor;

    private HealthServer(HttpServer health, HttpServer metrics, ExecutorService executor) {
        this.health = health;
        this.metrics = metrics;
        this.executor = executor;
    }

    /** Binds both ports on all interfaces (0 picks a free port) and starts answering. */
    public static HealthServer start(int healthPort, int metricsPort, OperatorHealth operatorHealth,
            Supplier<String> scrape) {
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "kiln-http");
            thread.setDaemon(true);
            return thread;
        });
        HttpServer health = bind(healthPort, "--health-port", executor, Map.of(
                "/healthz", exchange -> answerCheck(exchange, operatorHealth.liveness()),
                "/readyz", exchange -> answerCheck(exchange, operatorHealth.readiness())));
        HttpServer metrics;
        try {
            metrics = bind(metricsPort, "--metrics-port", executor, Map.of(
                    "/metrics", exchange -> answer(exchange, 200, PROMETHEUS_TEXT, scrape.get())));
        } catch (RuntimeException e) {
            health.stop(0);
            executor.shutdownNow();
            throw e;
        }
        health.start();
        metrics.start();
        return new HealthServer(health, metrics, executor);
    }

    public int healthPort() {
        return health.getAddress().getPort();
    }

    public int metricsPort() {
        return metrics.getAddress().getPort();
    }

    @Override
    public void close() {
        health.stop(0);
        metrics.stop(0);
        executor.shutdownNow();
    }

    private static HttpServer bind(int port, String flag, ExecutorService executor, Map<String, HttpHandler> routes) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + flag + " " + port + ": " + e.getMessage(), e);
        }
        server.setExecutor(executor);
        server.createContext("/", exchange -> route(exchange, routes));
        return server;
    }

    private static void route(HttpExchange exchange, Map<String, HttpHandler> routes) throws IOException {
        try (exchange) {
            HttpHandler handler = routes.get(exchange.getRequestURI().getPath());
            String method = exchange.getRequestMethod();
            if (handler == null) {
                answer(exchange, 404, PLAIN_TEXT, "not found; try " + String.join(" ", routes.keySet()) + "\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                answer(exchange, 405, PLAIN_TEXT, "method not allowed\n");
            } else {
                handler.handle(exchange);
            }
        }
    }

    private static void answerCheck(HttpExchange exchange, OperatorHealth.Check check) throws IOException {
        answer(exchange, check.ok() ? 200 : 503, PLAIN_TEXT, check.reason() + "\n");
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
