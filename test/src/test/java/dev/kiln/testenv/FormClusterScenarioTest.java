package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.testenv.kstatus.KstatusAwait;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 1 of the end-to-end suite, on real node-init processes and real etcd: the manifests in examples/ (a
 * 3-node KilnControlPlane and a 2-node worker MachineDeployment) form a cluster. Machines on 127.0.51.1-5.
 */
class FormClusterScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/form-cluster").toAbsolutePath();

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void threeControlPlaneNodesAndTwoWorkersForm() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.51", 5,
                i -> Map.of("role", i <= 3 ? "controlplane" : "worker"), Map.of())) {
            KubernetesClient client = env.client();
            Manifests.createAll(client, REPO.resolve("examples"));

            Demo.Formed formed = Demo.awaitFormed(env, Duration.ofSeconds(180));
            assertNotNull(formed, "the cluster did not form; see " + env.operator().log() + " and "
                    + WORK.resolve("machines"));

            // what Flux and Argo CD see: every Kiln object of the formed cluster is Current (Healthy)
            KstatusAwait.awaitClusterCurrent(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER,
                    Duration.ofSeconds(120));

            List<Machine> machines = BootstrapEvidence.clusterMachines(client);
            assertEquals(5, machines.size());
            for (Machine machine : machines) {
                assertEquals("Running", machine.getStatus().getPhase(), machine.getMetadata().getName());
            }
            assertEquals(3, machines.stream().filter(Demo::isControlPlane).count());

            // etcd: 3 voting members, no learners, one cluster ID on every control-plane node
            long clusterId = BootstrapEvidence.assertThreeVotersOneClusterId(client, env);
            String kilnconfig = EtcdReport.kilnconfig(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER).orElseThrow();
            List<EtcdReport.NodeView> views = EtcdReport.ask(kilnconfig, Demo.controlPlaneNodes(env, machines));

            // exactly one bootstrap record, completed with that cluster ID, and one Bootstrap call
            ConfigMap record = BootstrapEvidence.bootstrapRecord(client);
            assertNotNull(record, "bootstrap record");
            assertEquals("true", record.getData().get("completed"));
            assertEquals(clusterId, Long.parseUnsignedLong(record.getData().get("etcdClusterId"), 16));
            assertEquals(1.0, env.operator().metricSum("kiln_bootstraps_total"), "kiln_bootstraps_total");

            // the cluster's access Secrets, and kilnctl works with the kilnconfig
            assertTrue(EtcdReport.kubeconfig(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER).isPresent(),
                    "demo-kubeconfig Secret");
            Path kilnconfigFile = Files.writeString(WORK.resolve("kilnconfig"), kilnconfig);
            String node = views.get(0).node().replace(":" + Machines.PORT, "");
            String members = run(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", REPO.resolve("kilnctl/target/kilnctl-0.1.0-SNAPSHOT-all.jar").toString(),
                    "etcd", "members", "--kilnconfig", kilnconfigFile.toString(), "-n", node));
            for (EtcdMember member : views.get(0).members()) {
                assertTrue(members.contains(member.getHostname()), "kilnctl etcd members:\n" + members);
            }
            assertEquals(List.of(), NeighbourCluster.kilnMarks(client), "Kiln touched the neighbour cluster");
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + output);
        return output;
    }
}
