package dev.kiln.testenv.rbac;

import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Records, as {@link ApiRequest}s, every request the mock server receives with the operator's bearer token, so the
 * Helm chart's RBAC can be checked against what the operator really asks for. Requests of the in-JVM stand-ins
 * carry no such token and are left out. Test support.
 */
public final class OperatorRequestLog implements AutoCloseable {

    /** The file each local environment writes under its work folder. */
    public static final String FILE_NAME = "operator-api-requests.tsv";

    private final DefaultMockServer server;
    private final String authorization;
    private final Set<ApiRequest> seen = new ConcurrentSkipListSet<>();
    private final Thread drain;
    private volatile boolean running = true;

    private OperatorRequestLog(DefaultMockServer server, String token) {
        this.server = server;
        this.authorization = "Bearer " + token;
        this.drain = new Thread(this::drainLoop, "kiln-operator-request-log");
        this.drain.setDaemon(true);
    }

    /** Starts draining the server's request queue (which would otherwise keep every request of a long run). */
    public static OperatorRequestLog start(DefaultMockServer server, String operatorToken) {
        OperatorRequestLog log = new OperatorRequestLog(server, operatorToken);
        log.drain.start();
        return log;
    }

    private void drainLoop() {
        while (running) {
            try {
                RecordedRequest request = server.takeRequest(200, TimeUnit.MILLISECONDS);
                if (request != null) {
                    record(request);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(RecordedRequest request) {
        if (authorization.equals(request.getHeader("Authorization"))) {
            ApiRequest.of(request.getMethod(), request.getPath()).ifPresent(seen::add);
        }
    }

    /** The distinct requests recorded so far. */
    public SortedSet<ApiRequest> requests() {
        return new TreeSet<>(seen);
    }

    /** Writes the distinct requests, one {@link ApiRequest#toLine()} per line, sorted. */
    public Path write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, requests().stream().map(r -> r.toLine() + "\n").collect(Collectors.joining()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            drain.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RecordedRequest rest;
        try {
            while ((rest = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
                record(rest);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
