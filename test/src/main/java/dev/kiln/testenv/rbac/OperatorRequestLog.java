package dev.kiln.testenv.rbac;

import io.fabric8.mockwebserver.DefaultMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Records, as {@link ApiRequest}s, every request the mock server receives with an operator's bearer token, so the
 * RBAC of the Helm chart and of each clusterctl provider can be checked against what the operators really ask for.
 * The token {@code <operator token>} is the default account; {@code <operator token>-<account>} names another, so
 * that operators running different providers are told apart. Requests of the in-JVM stand-ins carry no such token
 * and are left out. Test support.
 */
public final class OperatorRequestLog implements AutoCloseable {

    /** The file each local environment writes under its work folder: the requests of every operator account. */
    public static final String FILE_NAME = "operator-api-requests.tsv";

    private final DefaultMockServer server;
    private final String authorization;
    private final Map<String, Set<ApiRequest>> seen = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.LongAdder counted = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder writes = new java.util.concurrent.atomic.LongAdder();
    private final Map<String, java.util.concurrent.atomic.LongAdder> tally = new ConcurrentHashMap<>();
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
        String header = request.getHeader("Authorization");
        String account;
        if (authorization.equals(header)) {
            account = "";
        } else if (header != null && header.startsWith(authorization + "-")) {
            account = header.substring(authorization.length() + 1);
        } else {
            return;
        }
        counted.increment();
        if (!"GET".equals(request.getMethod())) {
            writes.increment();
        }
        ApiRequest.of(request.getMethod(), request.getPath()).ifPresent(r -> {
            seen.computeIfAbsent(account, a -> new ConcurrentSkipListSet<>()).add(r);
            tally.computeIfAbsent(r.toLine(), line -> new java.util.concurrent.atomic.LongAdder()).increment();
        });
    }

    /** Requests so far by kind (a {@link ApiRequest#toLine()}), every one counted. */
    public Map<String, Long> countsByKind() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        tally.forEach((kind, count) -> counts.put(kind, count.sum()));
        return counts;
    }

    /** How many requests the operators have made so far (every one, not only distinct ones); a watch counts once. */
    public long count() {
        return counted.sum();
    }

    /** How many of {@link #count()} were not GETs: creates, updates, patches and deletes. */
    public long writeCount() {
        return writes.sum();
    }

    /** The distinct requests recorded so far, of every account. */
    public SortedSet<ApiRequest> requests() {
        TreeSet<ApiRequest> all = new TreeSet<>();
        seen.values().forEach(all::addAll);
        return all;
    }

    /** The distinct requests made with the token of {@code account}. */
    public SortedSet<ApiRequest> requestsOf(String account) {
        return new TreeSet<>(seen.getOrDefault(account, Set.of()));
    }

    /** The file of one named account's requests, next to {@link #FILE_NAME}. */
    public static String fileName(String account) {
        return "operator-api-requests." + account + ".tsv";
    }

    /** Writes {@link #FILE_NAME} with every account's requests, and one {@link #fileName} per named account. */
    public void write(Path directory) {
        write(directory.resolve(FILE_NAME), requests());
        seen.keySet().stream().filter(account -> !account.isEmpty())
                .forEach(account -> write(directory.resolve(fileName(account)), requestsOf(account)));
    }

    private static void write(Path file, SortedSet<ApiRequest> requests) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, requests.stream().map(r -> r.toLine() + "\n").collect(Collectors.joining()));
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
