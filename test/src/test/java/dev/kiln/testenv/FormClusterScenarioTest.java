package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.backupstore.LocalS3;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnEtcdBackupStatus.StoredBackup;
import dev.kiln.capi.api.infrastructure.v1alpha1.FailureDomain;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.testenv.kstatus.KstatusAwait;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 1 of the end-to-end suite, on real node-init processes and real etcd: the manifests in examples/ (a
 * 3-node KilnControlPlane and a 2-node worker MachineDeployment) form a cluster, its control plane spread over three
 * failure domains, and an on-demand etcd backup to S3 (s3proxy on 127.0.51.200). Machines on 127.0.51.1-5.
 */
class FormClusterScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/form-cluster").toAbsolutePath();
    private static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    private static final List<String> ZONES = List.of("zone-a", "zone-b", "zone-c");

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void threeControlPlaneNodesAndTwoWorkersForm() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.51", 5,
                i -> Map.of("role", i <= 3 ? "controlplane" : "worker", ZONE_LABEL, ZONES.get((i - 1) % 3)),
                Map.of())) {
            KubernetesClient client = env.client();
            Manifests.create(client, REPO.resolve("examples/cluster.yaml"));
            declareFailureDomains(client);
            Manifests.create(client, REPO.resolve("examples/control-plane.yaml"));
            Manifests.create(client, REPO.resolve("examples/workers.yaml"));

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
            assertOnePerFailureDomainEachOnAServerOfIt(client, machines);

            // etcd: 3 voting members, no learners, one cluster ID on every control-plane node
            long clusterId = BootstrapEvidence.assertThreeVotersOneClusterId(client, env);
            String kilnconfig = EtcdReport.kilnconfig(client, LocalEnvironment.NAMESPACE, Demo.CLUSTER).orElseThrow();
            List<EtcdReport.NodeView> views = EtcdReport.ask(kilnconfig, Demo.controlPlaneNodes(env, machines));

            assertEveryControlPlaneMachineCreatedBeforeTheFirstJoin(env, machines);

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

            // an on-demand etcd backup lands in S3: a real etcd snapshot, from a follower, with its checksum in status
            try (LocalS3 s3 = LocalS3.start(WORK.resolve("s3"), "127.0.51.200", BackupEvidence.BUCKET)) {
                BackupEvidence.requestBackup(client, s3, "demo-backup", "after-forming");
                StoredBackup backup = BackupEvidence.awaitBackup(client, "demo-backup", "after-forming",
                        Duration.ofSeconds(60));
                String snapshot = BackupEvidence.assertRealSnapshot(s3, backup, WORK);
                assertEquals(Long.toHexString(clusterId), backup.getEtcdClusterId());
                assertTrue(machines.stream().anyMatch(m -> m.getMetadata().getName().equals(backup.getMember())),
                        backup.getMember());
                System.out.println("FIGURE on-demand backup: " + backup.getSize() + " bytes from " + backup.getMember()
                        + ", etcdctl snapshot status " + snapshot);
            }
            assertEquals(List.of(), NeighbourCluster.kilnMarks(client), "Kiln touched the neighbour cluster");

            assertACrashedControlPlaneNodeIsNoticedThroughItsEventStream(env, machines, views);
        }
    }

    /**
     * Formation creates the control plane's machines at once: the bootstrap node's etcd logged its first join
     * (a member added other than itself) after every control-plane Machine existed.
     */
    private static void assertEveryControlPlaneMachineCreatedBeforeTheFirstJoin(LocalEnvironment env,
            List<Machine> machines) {
        Machines.Machine bootstrapNode = env.machines().list().stream()
                .filter(machine -> EtcdHistory.of(machine).bootstrapped()).findFirst().orElseThrow();
        Instant firstJoin = EtcdHistory.memberAdditions(bootstrapNode).stream()
                .filter(added -> !added.self()).map(EtcdHistory.MemberAdded::at).min(Instant::compareTo)
                .orElseThrow(() -> new AssertionError("no join in the etcd log of " + bootstrapNode.name()));
        for (Machine machine : machines.stream().filter(Demo::isControlPlane).toList()) {
            Instant created = Instant.parse(machine.getMetadata().getCreationTimestamp());
            assertTrue(!created.isAfter(firstJoin), machine.getMetadata().getName() + " was created at " + created
                    + ", after the first join at " + firstJoin);
        }
        System.out.println("FIGURE first join at " + firstJoin + "; control-plane machines created at " + machines
                .stream().filter(Demo::isControlPlane).map(m -> m.getMetadata().getCreationTimestamp()).sorted().toList());
    }

    /**
     * A control-plane node killed with SIGKILL: the operator learns it from the node's event stream breaking, and the
     * control plane reports the member unhealthy.
     */
    private static void assertACrashedControlPlaneNodeIsNoticedThroughItsEventStream(LocalEnvironment env,
            List<Machine> machines, List<EtcdReport.NodeView> views) throws Exception {
        String node = views.get(views.size() - 1).node();
        Machines.Machine victim = env.machines().byAddress(node);
        long killedAt = System.nanoTime();
        env.machines().kill(victim);
        Path log = env.operator().log();
        BootstrapEvidence.await("the operator's log to show the event stream of " + node + " lost",
                Duration.ofSeconds(60), () -> readQuietly(log).contains("event stream of node " + node + " lost"));
        double streamLostSeconds = (System.nanoTime() - killedAt) / 1e9;
        BootstrapEvidence.await("the KilnControlPlane to report an unhealthy etcd member", Duration.ofSeconds(60),
                () -> etcdHealthyCondition(env.client()).filter(c -> "False".equals(c.getStatus())).isPresent());
        System.out.printf("FIGURE crashed control-plane node %s: stream loss logged after %.2f s, "
                + "EtcdClusterHealthy False after %.2f s (%s)%n", node, streamLostSeconds,
                (System.nanoTime() - killedAt) / 1e9, etcdHealthyCondition(env.client()).map(Condition::getMessage)
                        .orElse(""));
    }

    private static Optional<Condition> etcdHealthyCondition(KubernetesClient client) {
        return client.resources(KilnControlPlane.class).inNamespace(LocalEnvironment.NAMESPACE).list().getItems()
                .stream().filter(cp -> cp.getStatus() != null && cp.getStatus().getConditions() != null)
                .flatMap(cp -> cp.getStatus().getConditions().stream())
                .filter(c -> "EtcdClusterHealthy".equals(c.getType())).findFirst();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The three servers of the control plane sit in three zones; the KilnCluster declares them. The control plane is
     * applied only once Cluster API (its stand-in here) has copied them to the Cluster, as placement reads them there.
     */
    private static void declareFailureDomains(KubernetesClient client) throws InterruptedException {
        client.resources(KilnCluster.class).inNamespace(LocalEnvironment.NAMESPACE).withName(Demo.CLUSTER)
                .edit(kilnCluster -> {
                    kilnCluster.getSpec().setFailureDomains(ZONES.stream()
                            .map(zone -> new FailureDomain(zone, true)).toList());
                    return kilnCluster;
                });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Cluster cluster = client.resources(Cluster.class).inNamespace(LocalEnvironment.NAMESPACE)
                    .withName(Demo.CLUSTER).get();
            if (cluster.getStatus() != null && cluster.getStatus().getFailureDomains() != null
                    && cluster.getStatus().getFailureDomains().keySet().equals(Set.copyOf(ZONES))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Cluster " + Demo.CLUSTER + " did not get status.failureDomains " + ZONES);
    }

    private static void assertOnePerFailureDomainEachOnAServerOfIt(KubernetesClient client, List<Machine> machines) {
        List<Machine> controlPlane = machines.stream().filter(Demo::isControlPlane).toList();
        assertEquals(ZONES, controlPlane.stream().map(m -> m.getSpec().getFailureDomain()).sorted().toList(),
                "one control-plane Machine per failure domain");
        for (Machine machine : controlPlane) {
            String server = machine.getSpec().getProviderID().substring("kiln://".length());
            KilnServer kilnServer = client.resources(KilnServer.class).inNamespace(LocalEnvironment.NAMESPACE)
                    .withName(server).get();
            assertEquals(machine.getSpec().getFailureDomain(), kilnServer.getMetadata().getLabels().get(ZONE_LABEL),
                    "the zone of server " + server + " of Machine " + machine.getMetadata().getName());
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
