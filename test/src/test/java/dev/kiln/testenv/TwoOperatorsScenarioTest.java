package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 7 of the end-to-end suite, on real node-init processes and real etcd: two operator processes with leader
 * election off reconcile the same 3-node control plane from the start. Exactly one of them bootstraps etcd, on one
 * node, and the cluster forms. Machines on 127.0.56.1-3.
 */
class TwoOperatorsScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/two-operators").toAbsolutePath();
    /** The KilnControlPlane of examples/control-plane.yaml. */
    private static final String CONTROL_PLANE = "demo";

    @Test
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void twoOperatorsWithoutLeaderElectionBootstrapOnce() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.56", 3,
                i -> Map.of("role", "controlplane"), Map.of());
                PeakRssWatch rss = new PeakRssWatch()) {
            KubernetesClient client = env.client();
            OperatorProcess first = env.operator();
            OperatorProcess second = env.startOperator(WORK.resolve("operator-2.log"), Map.of());
            rss.watchOperator("operator-1", first);
            rss.watchOperator("operator-2", second);
            rss.watchMachines(env.machines());
            long applied = System.nanoTime();
            Manifests.create(client, REPO.resolve("examples/cluster.yaml"));
            Manifests.create(client, REPO.resolve("examples/control-plane.yaml"));

            Demo.Formed formed = Demo.awaitFormed(env, 3, Duration.ofSeconds(300));
            assertNotNull(formed, () -> "the cluster did not form; see " + first.log() + ", " + second.log() + " and "
                    + WORK.resolve("machines") + ManagementSnapshot.describe(client));
            Duration toForm = Figures.since(applied);
            assertTrue(first.isAlive(), "operator 1 exited; see " + first.log());
            assertTrue(second.isAlive(), "operator 2 exited; see " + second.log());
            String firstIdentity = first.identity().orElseThrow();
            String secondIdentity = second.identity().orElseThrow();
            assertNotEquals(firstIdentity, secondIdentity, "the two operators share an identity");
            long clusterId = BootstrapEvidence.assertThreeVotersOneClusterId(client, env);

            // one record, completed by one of the two operators
            ConfigMap record = BootstrapEvidence.bootstrapRecord(client);
            assertNotNull(record, "no bootstrap record");
            assertEquals("true", record.getData().get("completed"));
            assertEquals(clusterId, Long.parseUnsignedLong(record.getData().get("etcdClusterId"), 16));
            String holder = record.getData().get("holder");
            assertTrue(holder.equals(firstIdentity) || holder.equals(secondIdentity), "record holder " + holder);

            // one bootstrap: summed over both operators, and from the nodes' disks
            assertEquals(1.0, first.metricSum("kiln_bootstraps_total") + second.metricSum("kiln_bootstraps_total"),
                    "kiln_bootstraps_total over both operators");
            OperatorProcess holding = holder.equals(firstIdentity) ? first : second;
            assertEquals(1.0, holding.metricSum("kiln_bootstraps_total"), "the record's holder counted no bootstrap");
            assertEquals(1, BootstrapEvidence.bootstrappedEvents(client), "Bootstrapped Events on the Cluster");
            assertEquals(1, BootstrapEvidence.bootstrappedDecisions(first)
                    + BootstrapEvidence.bootstrappedDecisions(second), "Bootstrapped in the operator logs");
            BootstrapEvidence.assertOnlyNodeBootstrapped(env, record.getData().get("machine"), clusterId);

            // and no surplus machine: each ScalingUp Event on the KilnControlPlane names what it created, whoever made it
            assertEquals(3, machinesCreated(client).size(), "Machines created by the two operators together: "
                    + machinesCreated(client));

            Figures.print("scenario7 apply-to-formed", toForm);
            Figures.peakRss("scenario7", rss);
            assertEquals(List.of(), NeighbourCluster.kilnMarks(client), "Kiln touched the neighbour cluster");
        }
    }

    /** The machine names the ScalingUp Events list: "created machine a" or "created machines a, b, c". */
    private static List<String> machinesCreated(KubernetesClient client) {
        Pattern created = Pattern.compile("created machines? (.+?) with KilnConfig");
        return client.v1().events().inNamespace(LocalEnvironment.NAMESPACE).list().getItems().stream()
                .filter(e -> "KilnControlPlane".equals(e.getInvolvedObject().getKind())
                        && CONTROL_PLANE.equals(e.getInvolvedObject().getName())
                        && "ScalingUp".equals(e.getReason()))
                .map(e -> created.matcher(e.getMessage()))
                .filter(Matcher::find)
                .flatMap(m -> Arrays.stream(m.group(1).split(", ")))
                .sorted()
                .toList();
    }
}
