package dev.kiln.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.ApiEndpoint;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged kiln-operator.jar, run as {@code java -jar}, as a Deployment would run it. */
@EnableKubernetesMockClient(crud = true)
class ShadedJarIT {

    private static final Path JAR = Path.of(System.getProperty("kiln.operator.jar", "target/kiln-operator.jar"));
    private static final String TOKEN = "s3cr3t-token-never-logged";
    private static final Pattern PORTS = Pattern.compile("health on :(\\d+), metrics on :(\\d+)");

    KubernetesMockServer server;
    KubernetesClient client;

    private static ProcessBuilder java(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /** Every line the process writes to stderr, as it writes it. */
    private static BlockingQueue<String> stderrLines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (Exception e) {
                lines.add("(stderr closed: " + e + ")");
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, String containing, List<String> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (line.contains(containing)) {
                    return line;
                }
            }
        }
        throw new AssertionError("no line containing '" + containing + "'; stderr so far:\n" + String.join("\n", seen));
    }

    private Path kubeconfig(Path dir) throws Exception {
        return Files.writeString(dir.resolve("kubeconfig"), String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: mock",
                "  cluster:",
                "    server: " + client.getMasterUrl(),
                "    insecure-skip-tls-verify: true",
                "contexts:",
                "- name: mock",
                "  context: {cluster: mock, user: mock, namespace: default}",
                "current-context: mock",
                "users:",
                "- name: mock",
                "  user: {token: " + TOKEN + "}",
                ""));
    }

    @Test
    void manifestNamesTheMainClass() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertEquals(KilnOperator.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void jarHoldsNoJetcd() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            assertFalse(jar.stream().anyMatch(entry -> entry.getName().startsWith("io/etcd/")),
                    "jetcd classes were shaded into the operator jar");
        }
    }

    @Test
    void helpListsTheFlagsAndExitsZero() throws Exception {
        Process process = java("--help").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor());
        assertTrue(output.contains("--leader-election=on|off"), output);
    }

    @Test
    void aBadFlagValueExitsTwoNamingTheFlag() throws Exception {
        Process process = java("--metrics-port", "http").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, process.waitFor());
        assertTrue(output.contains("--metrics-port: expected a port number"), output);
    }

    /** The jar running against the mock server, with what it has logged so far. */
    private record RunningJar(Process process, BlockingQueue<String> lines, List<String> seen, int healthPort) {

        String awaitLine(String containing) throws InterruptedException {
            return ShadedJarIT.awaitLine(lines, containing, seen);
        }

        /** Sends SIGTERM and checks the shutdown hook stopped everything and the process exited. */
        void stopsCleanlyOnSigterm() throws Exception {
            sigterm(process);
            awaitLine("Kiln operator stopped");
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the operator did not exit after SIGTERM");
            assertEquals(143, process.exitValue(), "128 + SIGTERM after the shutdown hook ran");
        }
    }

    private RunningJar startJar(Path dir, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--kubeconfig", kubeconfig(dir).toString(), "--ssa", "off",
                "--health-port", "0", "--metrics-port", "0"));
        args.addAll(List.of(flags));
        Process process = java(args.toArray(String[]::new)).start();
        List<String> seen = new ArrayList<>();
        BlockingQueue<String> lines = stderrLines(process);
        Matcher ports = PORTS.matcher(awaitLine(lines, "Starting Kiln operator", seen));
        assertTrue(ports.find());
        RunningJar jar = new RunningJar(process, lines, seen, Integer.parseInt(ports.group(1)));
        jar.awaitLine("Kiln operator started");
        return jar;
    }

    @Test
    void reconcilesAgainstTheMockServerAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        RunningJar jar = startJar(dir, "--leader-election", "off");
        try {
            assertEquals(200, Http.get(jar.healthPort(), "/readyz").statusCode());
            createKilnCluster("jar");
            awaitReady("jar");
            jar.stopsCleanlyOnSigterm();
            jar.lines().drainTo(jar.seen());
            assertTrue(jar.seen().stream().noneMatch(line -> line.contains(TOKEN)), "the API token was logged");
        } finally {
            jar.process().destroyForcibly();
        }
    }

    @Test
    void stopsCleanlyOnSigtermWhileHoldingTheLease(@TempDir Path dir) throws Exception {
        grantLeaseAccess();
        RunningJar jar = startJar(dir, "--leader-election", "on", "--leader-election-namespace", "default",
                "--identity", "jar-replica");
        try {
            jar.awaitLine("Leading as jar-replica");
            assertEquals("jar-replica", leaseHolder());
            jar.stopsCleanlyOnSigterm();
            assertEquals("", leaseHolder(), "the stopped leader left the Lease held");
        } finally {
            jar.process().destroyForcibly();
        }
    }

    @Test
    void aStandbyTakesTheLeaseAStoppedLeaderReleased(@TempDir Path dir) throws Exception {
        grantLeaseAccess();
        RunningJar first = startJar(dir, "--leader-election", "on", "--leader-election-namespace", "default",
                "--identity", "replica-a");
        RunningJar second = null;
        try {
            first.awaitLine("Leading as replica-a");
            second = startJar(dir, "--leader-election", "on", "--leader-election-namespace", "default",
                    "--identity", "replica-b");
            second.awaitLine("Lease default/kiln-operator is held by replica-a");
            long stopped = System.nanoTime();
            first.stopsCleanlyOnSigterm();
            second.awaitLine("Leading as replica-b");
            System.out.printf("FIGURE standby leading %d ms after the leader's SIGTERM (Lease duration 15 s)%n",
                    (System.nanoTime() - stopped) / 1_000_000);
            assertEquals("replica-b", leaseHolder());
            assertTrue(first.seen().stream().anyMatch(line -> line.contains("Released the Lease default/kiln-operator")),
                    String.join("\n", first.seen()));
        } finally {
            first.process().destroyForcibly();
            if (second != null) {
                second.process().destroyForcibly();
            }
        }
    }

    /** The Lease's holder as the API server has it; empty when released or absent. */
    private String leaseHolder() {
        var lease = client.leases().inNamespace("default").withName("kiln-operator").get();
        return lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null ? ""
                : lease.getSpec().getHolderIdentity();
    }

    /** The mock has no RBAC to answer JOSDK's SelfSubjectRulesReview, so the test answers it. */
    private void grantLeaseAccess() {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder()
                        .withNewStatus().withIncomplete(false)
                        .withResourceRules(new ResourceRuleBuilder().withApiGroups("coordination.k8s.io")
                                .withResources("leases").withVerbs("get", "create", "update").build())
                        .endStatus().build())
                .always();
    }

    private void createKilnCluster(String name) {
        KilnCluster cluster = new KilnCluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default").build());
        cluster.setSpec(new KilnClusterSpec());
        cluster.getSpec().setControlPlaneEndpoint(new ApiEndpoint("10.0.0.10", 6443));
        client.resource(cluster).create();
    }

    // Process.destroy() also closes the pipes, and the test wants to read what the shutdown hook logs.
    private static void sigterm(Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }

    private void awaitReady(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            KilnCluster current = client.resources(KilnCluster.class).inNamespace("default").withName(name).get();
            if (current.getStatus() != null && Boolean.TRUE.equals(current.getStatus().getReady())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("KilnCluster " + name + " never became ready under the packaged operator");
    }
}
