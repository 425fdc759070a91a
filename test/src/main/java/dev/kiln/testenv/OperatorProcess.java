package dev.kiln.testenv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kiln operator as its own process, as it runs in a management cluster: {@code java -jar kiln-operator.jar}
 * against the management API stand-in (SSA off, leader election off, endpoints on free ports), its output in a log
 * file. Test support.
 */
public final class OperatorProcess implements AutoCloseable {

    private static final Pattern START_LINE = Pattern.compile("Starting Kiln operator (\\S+):.* metrics on :(\\d+)");

    private final Process process;
    private final Path log;

    private OperatorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The shaded jar built by the operator module: {@code <repo>/operator/target/kiln-operator.jar}. */
    public static Path jar(Path repo) {
        Path jar = repo.resolve("operator/target/kiln-operator.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -B -DskipTests package)");
        }
        return jar;
    }

    /**
     * Starts the operator.
     *
     * @param kubeconfig a kubeconfig for the management API (see {@link ManagementApi#writeKubeconfig})
     * @param environment extra environment, e.g. {@code KILN_WATCH_NAMESPACE}
     */
    public static OperatorProcess start(Path repo, Path kubeconfig, String masterUrl, Path log,
            Map<String, String> environment) {
        return start(repo, kubeconfig, masterUrl, log, environment, JVM_FLAGS, List.of("--leader-election", "off"));
    }

    /** The flags every end-to-end test ran the operator with before the lean set, kept for comparisons. */
    public static final List<String> BASELINE_JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx256m");

    /** The JVM flags the chart and hack/ run the operator with (docs/operations.md explains each). */
    public static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx192m",
            "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=64m", "-XX:TieredStopAtLevel=1", "-Xss512k",
            "-XX:MaxDirectMemorySize=32m", "-Dio.netty.allocator.type=unpooled",
            "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");

    /**
     * Starts the operator with {@code jvmFlags} and {@code operatorArgs} (e.g. {@code --leader-election on}) after the
     * usual ones (SSA off, endpoints on free ports); a later flag overrides an earlier one.
     */
    public static OperatorProcess start(Path repo, Path kubeconfig, String masterUrl, Path log,
            Map<String, String> environment, List<String> jvmFlags, List<String> operatorArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar(repo).toString(),
                "--kubeconfig", kubeconfig.toAbsolutePath().toString(), "--master", masterUrl,
                "--ssa", "off", "--metrics-port", "0", "--health-port", "0"));
        command.addAll(operatorArgs);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().remove("KUBECONFIG");
            builder.environment().remove("KUBERNETES_MASTER");
            builder.environment().putAll(environment);
            return new OperatorProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the operator", e);
        }
    }

    public Path log() {
        return log;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + log, e);
        }
    }

    /** The identity it holds records and Leases as, from its start line; empty until it has printed that line. */
    public Optional<String> identity() {
        return startLine().map(m -> m.group(1));
    }

    /**
     * A counter or gauge from its {@code /metrics}, summed over every series of {@code name} whose labels contain each
     * of {@code labels} (e.g. {@code reason="stale"}); the port comes from its start line, so this works only while it
     * runs.
     */
    public double metricSum(String name, String... labels) {
        Matcher start = startLine().orElseThrow(() -> new IllegalStateException(log + " names no metrics port"));
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + start.group(2) + "/metrics")).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString());
            double total = 0;
            for (String line : response.body().split("\n")) {
                boolean series = line.startsWith(name + "{") || line.startsWith(name + " ");
                if (series && Arrays.stream(labels).allMatch(line::contains)) {
                    total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("scraping the metrics of the operator logging to " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The whole text of its {@code /metrics}, read from the metrics port its start line names. */
    public String metricsText() {
        Matcher start = startLine().orElseThrow(() -> new IllegalStateException(log + " names no metrics port"));
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + start.group(2) + "/metrics")).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException("scraping the metrics of the operator logging to " + log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private Optional<Matcher> startLine() {
        Matcher matcher = START_LINE.matcher(logText());
        return matcher.find() ? Optional.of(matcher) : Optional.empty();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Kills it at once, as a crash would. */
    public void kill() {
        ProcessTrees.kill(process.toHandle());
    }

    @Override
    public void close() {
        ProcessTrees.stop(process.toHandle(), 10_000);
    }
}
