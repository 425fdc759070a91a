package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.core.v1beta1.Machine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The layout clusterctl installs: one operator process per provider type, each started with {@code --controllers}
 * (here KILN_CONTROLLERS) naming only its own, forms the examples/ cluster together as the single operator does.
 * Real node-init processes and etcd on 127.0.58.1-5. Each operator's requests are recorded under its provider's
 * name, for the RBAC check of each provider's components (ProviderRbacIT).
 */
class OneOperatorPerProviderScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/one-operator-per-provider").toAbsolutePath();
    private static final Pattern STARTED = Pattern.compile("(\\d+) controllers for \\[([a-z, ]*)]");

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void bootstrapControlPlaneAndInfrastructureOperatorsFormTheClusterTogether() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        long start = System.nanoTime();
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.58", 5,
                i -> Map.of("role", i <= 3 ? "controlplane" : "worker"), Map.of("KILN_CONTROLLERS", "bootstrap"),
                Optional.of(new OperatorAccount("bootstrap")))) {
            Map<String, OperatorProcess> operators = new LinkedHashMap<>();
            operators.put("bootstrap", env.operator());
            for (String provider : new String[] {"controlplane", "infrastructure"}) {
                operators.put(provider, env.startOperator(WORK.resolve("operator-" + provider + ".log"),
                        Map.of("KILN_CONTROLLERS", provider), new OperatorAccount(provider)));
            }
            Map<String, Integer> expectedControllers = Map.of("bootstrap", 1, "controlplane", 3, "infrastructure", 2);
            for (Map.Entry<String, OperatorProcess> operator : operators.entrySet()) {
                Matcher started = awaitStartLine(operator.getValue(), Duration.ofSeconds(120));
                assertEquals(operator.getKey(), started.group(2), operator.getValue().log().toString());
                assertEquals(expectedControllers.get(operator.getKey()), Integer.parseInt(started.group(1)),
                        operator.getKey() + " controllers");
            }
            long applied = System.nanoTime();
            Manifests.createAll(env.client(), REPO.resolve("examples"));

            Demo.Formed formed = Demo.awaitFormed(env, Duration.ofSeconds(200));
            assertNotNull(formed, "the cluster did not form; see the operator logs in " + WORK);
            System.out.println("FIGURE one operator per provider: formed 3+2 in "
                    + Duration.ofNanos(System.nanoTime() - applied).toSeconds() + " s after apply ("
                    + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s with start-up)");
            for (Map.Entry<String, OperatorProcess> operator : operators.entrySet()) {
                assertTrue(operator.getValue().isAlive(), operator.getKey() + " operator exited; see "
                        + operator.getValue().log());
                System.out.println("FIGURE one operator per provider: " + operator.getKey() + " operator peak RSS "
                        + PeakRss.mib(operator.getValue().process().toHandle()));
            }
            assertEquals(5, formed.machines().size());
            for (Machine machine : formed.machines()) {
                assertEquals("Running", machine.getStatus().getPhase(), machine.getMetadata().getName());
            }
            assertEquals(3, formed.views().size(), "control-plane nodes answering with 3 voting members");
            assertEquals(List.of(), NeighbourCluster.kilnMarks(env.client()), "Kiln touched the neighbour cluster");
        }
    }

    private static Matcher awaitStartLine(OperatorProcess operator, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(operator.log())) {
                Matcher m = STARTED.matcher(Files.readString(operator.log()));
                if (m.find()) {
                    return m;
                }
            }
            assertTrue(operator.isAlive(), "operator exited; see " + operator.log());
            Thread.sleep(250);
        }
        throw new AssertionError("no start line in " + operator.log() + " within " + within);
    }
}
