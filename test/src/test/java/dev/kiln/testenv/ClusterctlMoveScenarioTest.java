package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.api.machine.EtcdMember;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cluster formed through the operator on management API A is moved to management API B the way clusterctl move
 * does it ({@link ClusterctlMove}) while A's operator keeps running, and an operator started on B carries on: no
 * second etcd bootstrap, no machine replaced, the KilnServers' state derived again, and scaling works on B. Three
 * machines on 127.0.76.1-3, all eligible for the control plane.
 */
class ClusterctlMoveScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/clusterctl-move").toAbsolutePath();
    private static final String NAMESPACE = LocalEnvironment.NAMESPACE;
    private static final String CLUSTER = Demo.CLUSTER;
    private static final Duration SETTLE = Duration.ofSeconds(300);

    /** The control plane as every node agrees on it. */
    record Settled(List<Machine> machines, Set<Long> memberIds, long clusterId) {

        Set<String> machineNames() {
            return machines.stream().map(m -> m.getMetadata().getName()).collect(Collectors.toSet());
        }
    }

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void aMovedClusterKeepsItsEtcdAndMachinesAndScalesOnTheNewManagementCluster() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.76", 3,
                i -> Map.of("role", "controlplane"), Map.of())) {
            KubernetesClient a = env.client();
            Manifests.create(a, rewritten("cluster.yaml", "127.0.50.1", "127.0.76.1"));
            Manifests.create(a, rewritten("control-plane.yaml", "replicas: 3", "replicas: 1"));
            Settled onA = awaitSettled(env, a, 1, "one control-plane machine to form on A");
            ConfigMap recordOnA = BootstrapEvidence.bootstrapRecord(a);
            assertNotNull(recordOnA, "bootstrap record on A");
            assertEquals("true", recordOnA.getData().get("completed"));
            Map<String, String> claimsOnA = claims(a);
            assertEquals(1, claimsOnA.size(), "claims on A " + claimsOnA);

            LocalEnvironment.Management b = env.startManagement("management-b");
            ClusterctlMove.Moved moved = ClusterctlMove.move(a, b.api().client(), NAMESPACE);

            assertTrue(moved.objects().contains("ConfigMap/" + CLAIM_PREFIX + claimsOnA.keySet().iterator().next()),
                    "the claim moved: " + moved.objects());
            assertTrue(moved.objects().contains("KilnMachineTemplate/demo-cp"), "the template moved: " + moved.objects());
            assertTrue(a.resources(Cluster.class).inNamespace(NAMESPACE).list().getItems().isEmpty(), "Cluster on A");
            assertTrue(a.resources(KilnServer.class).inNamespace(NAMESPACE).list().getItems().isEmpty(),
                    "KilnServers on A");
            assertTrue(claims(a).isEmpty(), "claims on A");
            assertTrue(env.operator().isAlive(), "A's operator keeps running");
            OperatorProcess operatorA = env.operator();

            KubernetesClient bClient = b.api().client();
            OperatorProcess operatorB = env.startOperator(b, WORK.resolve("operator-b.log"), Map.of());
            Settled onB = awaitSettled(env, bClient, 1, "the moved control plane to be provisioned again on B");

            // no second bootstrap: the same etcd cluster and members, and the record on B is A's
            assertEquals(onA.clusterId(), onB.clusterId(), "etcd cluster ID");
            assertEquals(onA.memberIds(), onB.memberIds(), "etcd member IDs");
            assertEquals(onA.machineNames(), onB.machineNames(), "Machine names");
            assertEquals(recordOnA.getData(), BootstrapEvidence.bootstrapRecord(bClient).getData(), "bootstrap record");
            assertEquals(0.0, operatorB.metricSum("kiln_bootstraps_total"), "Bootstrap calls by B's operator");
            assertEquals(1.0, operatorA.metricSum("kiln_bootstraps_total"), "Bootstrap calls by A's operator");

            // the claim holds under the machine's new uid, and the server's state is derived again
            assertEquals(claimsOnA, claims(bClient), "claims on B");
            String server = claimsOnA.keySet().iterator().next();
            KilnMachine holder = bClient.resources(KilnMachine.class).inNamespace(NAMESPACE)
                    .withName(claimsOnA.get(server)).get();
            KilnServer held = awaitValue("KilnServer " + server + " shown in use by " + holder.getMetadata().getName(),
                    () -> {
                        KilnServer current = bClient.resources(KilnServer.class).inNamespace(NAMESPACE).withName(server)
                                .get();
                        var status = current.getStatus();
                        return status != null && Boolean.TRUE.equals(status.getInUse())
                                && status.getMachineRef() != null && Boolean.FALSE.equals(status.getClean())
                                ? current : null;
                    });
            assertEquals(holder.getMetadata().getName(), held.getStatus().getMachineRef().getName());
            assertEquals(holder.getMetadata().getUid(), held.getStatus().getMachineRef().getUid());
            assertTrue(moved.newUids().containsValue(holder.getMetadata().getUid()), "the machine has a new uid on B");

            // scaling works on B, taking the two spare servers whose state was never recorded there
            bClient.resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CLUSTER).scale(3);
            Settled scaled = awaitSettled(env, bClient, 3, "3 voting members after scaling on B");
            assertEquals(onA.clusterId(), scaled.clusterId(), "etcd cluster ID after scaling");
            assertTrue(scaled.memberIds().containsAll(onA.memberIds()), "the first member stays: " + scaled.memberIds());
            assertTrue(scaled.machineNames().containsAll(onA.machineNames()), "the first Machine stays");
            Map<String, String> claimsOnB = claims(bClient);
            assertEquals(3, claimsOnB.size(), "claims on B " + claimsOnB);
            for (KilnServer each : bClient.resources(KilnServer.class).inNamespace(NAMESPACE).list().getItems()) {
                String name = each.getMetadata().getName();
                assertEquals(Boolean.TRUE, each.getStatus().getInUse(), name);
                assertEquals(claimsOnB.get(name), each.getStatus().getMachineRef().getName(), name);
            }

            // on the nodes' disks: one bootstrap ever, on the first machine's node, every other node joined it
            String clusterHex = Long.toHexString(onA.clusterId());
            List<EtcdHistory> histories = EtcdHistory.of(env.machines());
            assertEquals(List.of(server), histories.stream().filter(EtcdHistory::bootstrapped)
                    .map(EtcdHistory::server).toList(), histories.toString());
            for (EtcdHistory history : histories) {
                assertEquals(clusterHex, history.clusterId(), history.toString());
                assertTrue(history.bootstrapLines().size() <= 1, history.toString());
            }

            assertEquals(List.of(), NeighbourCluster.kilnMarks(a), "Kiln touched the neighbour cluster on A");
            assertEquals(List.of(), NeighbourCluster.kilnMarks(bClient), "Kiln touched the neighbour cluster on B");
            assertTrue(operatorA.isAlive() && operatorB.isAlive(), "both operators still run");
        }
    }

    private static final String CLAIM_PREFIX = "kiln-claim-";

    /** An example manifest with one text replaced, written under the work folder. */
    private static Path rewritten(String example, String from, String to) throws Exception {
        String text = Files.readString(REPO.resolve("examples").resolve(example));
        assertTrue(text.contains(from), example + " no longer contains " + from);
        return Files.writeString(WORK.resolve(example), text.replace(from, to));
    }

    /** Server name → name of the KilnMachine its claim names. */
    private static Map<String, String> claims(KubernetesClient client) {
        Map<String, String> claims = new TreeMap<>();
        for (ConfigMap map : client.configMaps().inNamespace(NAMESPACE).list().getItems()) {
            if (map.getMetadata().getName().startsWith(CLAIM_PREFIX)) {
                claims.put(map.getMetadata().getName().substring(CLAIM_PREFIX.length()), map.getData().get("name"));
            }
        }
        return claims;
    }

    /** Waits for {@code voters} Running control-plane Machines whose nodes all report the same voting members. */
    private static Settled awaitSettled(LocalEnvironment env, KubernetesClient client, int voters, String what)
            throws InterruptedException {
        String[] last = {"nothing observed yet"};
        return awaitValue(what, () -> {
            List<Machine> machines = BootstrapEvidence.clusterMachines(client).stream().filter(Demo::isControlPlane)
                    .toList();
            boolean running = machines.size() == voters && machines.stream().allMatch(m -> m.getStatus() != null
                    && "Running".equals(m.getStatus().getPhase()));
            String kilnconfig = EtcdReport.kilnconfig(client, NAMESPACE, CLUSTER).orElse(null);
            if (!running || kilnconfig == null) {
                last[0] = "machines " + machines.stream().map(m -> m.getMetadata().getName() + ":"
                        + (m.getStatus() == null ? null : m.getStatus().getPhase())).toList();
                return null;
            }
            List<EtcdReport.NodeView> views = EtcdReport.ask(kilnconfig, Demo.controlPlaneNodes(env, machines));
            Set<Long> clusterIds = new HashSet<>();
            Set<Set<Long>> memberSets = new HashSet<>();
            for (EtcdReport.NodeView view : views) {
                if (!view.answered() || view.members().size() != voters
                        || view.members().stream().anyMatch(EtcdMember::getIsLearner)) {
                    last[0] = view.node() + ": " + (view.answered() ? view.members() : view.error());
                    return null;
                }
                clusterIds.add(view.status().getClusterId());
                memberSets.add(view.members().stream().map(EtcdMember::getId).collect(Collectors.toSet()));
            }
            if (views.size() != voters || clusterIds.size() != 1 || memberSets.size() != 1) {
                last[0] = "cluster IDs " + clusterIds + ", member sets " + memberSets;
                return null;
            }
            return new Settled(new ArrayList<>(machines), memberSets.iterator().next(), clusterIds.iterator().next());
        }, () -> last[0]);
    }

    private static <T> T awaitValue(String what, Supplier<T> probe) throws InterruptedException {
        return awaitValue(what, probe, () -> "");
    }

    private static <T> T awaitValue(String what, Supplier<T> probe, Supplier<String> lastSeen)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(500);
        }
        return fail("timed out after " + SETTLE.toSeconds() + " s waiting for " + what + "; last seen: "
                + lastSeen.get() + "; see " + WORK);
    }
}
