package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 6 of the end-to-end suite, on real node-init processes and real etcd: the operator is killed with
 * SIGKILL the moment the management API has stored its bootstrap record, before the answer reaches it, so it never
 * sends Bootstrap; a new operator is started. The new one takes the lapsed record over, bootstraps the recorded
 * machine and nothing else, and the 3-node control plane forms. Machines on 127.0.55.1-3.
 */
class OperatorCrashAfterBootstrapRecordScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/operator-crash").toAbsolutePath();
    private static final Tripwires.Match BOOTSTRAP_RECORD_CREATED = new Tripwires.Match("POST",
            Pattern.compile("/api/v1/namespaces/[^/]+/configmaps(\\?.*)?"),
            Pattern.compile("\"name\"\\s*:\\s*\"" + Pattern.quote(KilnLabels.bootstrapRecordName("demo")) + "\""));

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void aRestartedOperatorFinishesTheRecordedBootstrapAndNoSecondOneHappens() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.55", 3,
                i -> Map.of("role", "controlplane"), Map.of());
                PeakRssWatch rss = new PeakRssWatch()) {
            KubernetesClient client = env.client();
            OperatorProcess crashing = env.operator();
            env.api().tripwires().arm(BOOTSTRAP_RECORD_CREATED, crashing::kill);
            rss.watchOperator("operator-1 (killed)", crashing);
            rss.watchMachines(env.machines());
            long applied = System.nanoTime();
            Manifests.create(client, REPO.resolve("examples/cluster.yaml"));
            Manifests.create(client, REPO.resolve("examples/control-plane.yaml"));

            assertTrue(crashing.process().waitFor(240, TimeUnit.SECONDS),
                    "the operator was not killed at its bootstrap record; see " + crashing.log());
            Duration toCrash = Figures.since(applied);
            assertEquals(137, crashing.process().exitValue(), "exit code of the killed operator (SIGKILL)");
            String crashedIdentity = crashing.identity().orElseThrow();

            // every control-plane Machine exists at once and their configs go side by side; the record, written and
            // not completed, names one of them (the oldest ready when it was written) and the killed operator as holder
            List<Machine> machines = BootstrapEvidence.clusterMachines(client);
            assertEquals(3, machines.size(), "Machines before the bootstrap record is completed");
            ConfigMap pending = BootstrapEvidence.bootstrapRecord(client);
            assertNotNull(pending, "no bootstrap record after the kill");
            String recordedMachine = pending.getData().get("machine");
            assertTrue(machines.stream().anyMatch(m -> m.getMetadata().getName().equals(recordedMachine)),
                    "the record names " + recordedMachine + ", not a control-plane Machine of the cluster");
            assertEquals(crashedIdentity, pending.getData().get("holder"));
            assertEquals("false", pending.getData().get("completed"));
            assertEquals("", pending.getData().get("etcdClusterId"));

            // the kill came before the record's answer: Bootstrap never reached any node
            for (EtcdHistory history : EtcdHistory.of(env.machines())) {
                assertFalse(history.bootstrapped(), "Bootstrap reached a node before the kill: " + history);
                assertTrue(history.dataDirEmpty(), history.server() + " has etcd data before any bootstrap");
            }
            assertEquals(0, BootstrapEvidence.bootstrappedDecisions(crashing), crashing.log().toString());
            assertEquals(0, BootstrapEvidence.bootstrappedEvents(client), "Bootstrapped Events before the restart");

            long restarted = System.nanoTime();
            OperatorProcess restartedOperator = env.startOperator(WORK.resolve("operator-2.log"), Map.of());
            rss.watchOperator("operator-2", restartedOperator);
            Demo.Formed formed = Demo.awaitFormed(env, 3, Duration.ofSeconds(300));
            assertNotNull(formed, () -> "the cluster did not form after the restart; see " + restartedOperator.log()
                    + " and " + WORK.resolve("machines") + ManagementSnapshot.describe(client));
            Duration restartToFormed = Figures.since(restarted);
            long clusterId = BootstrapEvidence.assertThreeVotersOneClusterId(client, env);

            // the record: same machine, taken over by the new operator, completed with the cluster's ID
            ConfigMap completed = BootstrapEvidence.bootstrapRecord(client);
            assertEquals(recordedMachine, completed.getData().get("machine"), "the record's machine changed");
            assertEquals(restartedOperator.identity().orElseThrow(), completed.getData().get("holder"));
            assertEquals("true", completed.getData().get("completed"));
            assertEquals(clusterId, Long.parseUnsignedLong(completed.getData().get("etcdClusterId"), 16));

            // exactly one bootstrap: on the recorded machine's node, the others joined; one decision over both operators
            BootstrapEvidence.assertOnlyNodeBootstrapped(env, recordedMachine, clusterId);
            assertEquals(1, BootstrapEvidence.bootstrappedEvents(client), "Bootstrapped Events on the Cluster");
            assertTrue(restartedOperator.logText().contains("taken over from lapsed holder " + crashedIdentity),
                    "the new operator did not take the killed one's record over; see " + restartedOperator.log());
            assertEquals(1, BootstrapEvidence.bootstrappedDecisions(crashing)
                    + BootstrapEvidence.bootstrappedDecisions(restartedOperator), "Bootstrapped in the operator logs");
            assertEquals(1.0, restartedOperator.metricSum("kiln_bootstraps_total"), "kiln_bootstraps_total");

            assertEquals(List.of(), NeighbourCluster.kilnMarks(client), "Kiln touched the neighbour cluster");
            Figures.print("scenario6 apply-to-operator-kill", toCrash);
            Figures.print("scenario6 restart-to-formed", restartToFormed);
            Figures.print("scenario6 apply-to-formed", Figures.since(applied));
            Figures.peakRss("scenario6", rss);
        }
    }
}
