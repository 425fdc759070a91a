package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.testenv.kstatus.KstatusAwait;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 3 of the end-to-end suite, on real node-init processes and real etcd: a control plane made by a
 * MachineDeployment, with no KilnControlPlane ({@code examples/machinedeployment-control-plane/}), goes 1 → 3 → 1
 * through the deployment's scale subresource. etcd is bootstrapped once, and each Machine removed by the scale down
 * leaves etcd while its pre-terminate hook still holds it. Machines on 127.0.54.1-3.
 */
class MachineDeploymentControlPlaneScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/machinedeployment-control-plane").toAbsolutePath();
    private static final String NS = LocalEnvironment.NAMESPACE;
    private static final String CLUSTER = "md-demo";
    private static final String DEPLOYMENT = "md-demo-cp";
    private static final Duration STEP = Duration.ofMinutes(5);

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void aMachineDeploymentControlPlaneScalesOneToThreeToOneWithOneBootstrapAndMembersLeavingBeforeTheirMachines()
            throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        try (LocalEnvironment env = LocalEnvironment.start(REPO, WORK, "127.0.54", 3,
                i -> Map.of("role", "controlplane"), Map.of())) {
            KubernetesClient client = env.client();
            Manifests.createAll(client, REPO.resolve("examples/machinedeployment-control-plane"));
            Scenario scenario = new Scenario(env);

            // 1 machine: etcd bootstrapped on it, the record completed with its cluster ID
            long started = System.nanoTime();
            Formed one = scenario.awaitFormed(1, STEP);
            figure("md-control-plane formed-1-node", started);
            ConfigMap record = scenario.bootstrapRecord();
            String bootstrapMachine = record.getData().get("machine");
            assertEquals(one.machines().get(0).getMetadata().getName(), bootstrapMachine, "bootstrap record machine");
            assertEquals("true", record.getData().get("completed"), "bootstrap record completed");
            long clusterId = Long.parseUnsignedLong(record.getData().get("etcdClusterId"), 16);
            assertEquals(clusterId, one.clusterId(), "the record's etcd cluster ID is the node's");
            assertEquals(1.0, env.operator().metricSum("kiln_bootstraps_total"), "kiln_bootstraps_total");

            // 1 -> 3 through the MachineDeployment's scale subresource
            started = System.nanoTime();
            client.resources(MachineDeployment.class).inNamespace(NS).withName(DEPLOYMENT).scale(3);
            Formed three = scenario.awaitFormed(3, STEP);
            figure("md-control-plane scale-up-1-to-3", started);
            KstatusAwait.awaitMachinesCurrent(client, NS, CLUSTER, STEP);
            assertEquals(clusterId, three.clusterId(), "the two new nodes joined the bootstrapped cluster");
            assertTrue(three.memberNames().contains(bootstrapMachine), "the bootstrap node is still a member");
            assertEquals(1.0, env.operator().metricSum("kiln_bootstraps_total"),
                    "the new nodes joined without a second bootstrap");
            for (Machine machine : three.machines()) {
                Map<String, String> annotations = machine.getMetadata().getAnnotations();
                assertTrue(annotations != null && annotations.containsKey(KilnLabels.ETCD_HOOK),
                        machine.getMetadata().getName() + " carries no etcd pre-terminate hook");
            }
            // a reset node boots a new node-init process, so the peaks of all three running etcd are taken now
            peakRssFigures(env, "at-3-nodes");

            // 3 -> 1 with the bootstrap node marked to go: Cluster API deletes both surplus Machines at once
            Map<String, String> servers = serversByMachine(three.machines());
            client.resources(Machine.class).inNamespace(NS).withName(bootstrapMachine).patch(
                    PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("metadata",
                            Map.of("annotations", Map.of(Machine.DELETE_MACHINE_ANNOTATION, "")))));
            started = System.nanoTime();
            client.resources(MachineDeployment.class).inNamespace(NS).withName(DEPLOYMENT).scale(1);
            ScaleDown down = scenario.awaitScaledDownToOne(STEP);
            figure("md-control-plane scale-down-3-to-1", started);

            assertEquals(2, down.removed().size(), "machines removed " + down.removed());
            assertTrue(down.removed().contains(bootstrapMachine), "the marked bootstrap machine was removed");
            for (String removed : down.removed()) {
                assertTrue(down.memberGoneWhileMachinePresent().contains(removed),
                        "the etcd member of " + removed + " must be gone while its Machine still exists (hook held); "
                                + "seen " + down);
                assertTrue(scenario.clusterEventMessages("MemberLeft").stream()
                                .anyMatch(m -> m.startsWith("deleting machine " + removed + " left etcd")),
                        "a MemberLeft event for " + removed + ": " + scenario.clusterEventMessages("MemberLeft"));
            }
            assertEquals(2.0, env.operator().metricSum("kiln_etcd_member_removals_total",
                    "reason=\"machine-deleted\""), "members removed by the pre-terminate hook");
            assertEquals(0.0, env.operator().metricSum("kiln_etcd_member_removals_total",
                    "reason=\"stale\""), "no member outlived its Machine");

            Formed last = down.formed();
            assertEquals(clusterId, last.clusterId(), "the survivor serves the same etcd cluster");
            assertEquals(Set.of(last.machines().get(0).getMetadata().getName()), last.memberNames());

            for (String removed : down.removed()) {
                assertServerFreedAndClean(env, servers.get(removed));
            }

            // exactly one bootstrap in the whole life of the cluster
            List<ConfigMap> records = client.configMaps().inNamespace(NS).list().getItems().stream()
                    .filter(c -> c.getMetadata().getName().endsWith("-kiln-bootstrap")).toList();
            assertEquals(1, records.size(), "bootstrap records");
            assertEquals(bootstrapMachine, records.get(0).getData().get("machine"));
            assertEquals(clusterId, Long.parseUnsignedLong(records.get(0).getData().get("etcdClusterId"), 16));
            assertEquals(1.0, env.operator().metricSum("kiln_bootstraps_total"), "kiln_bootstraps_total");
            assertTrue(env.operator().isAlive(), "the operator is still running");

            peakRssFigures(env, "at-end");
            assertEquals(List.of(), NeighbourCluster.kilnMarks(client), "Kiln touched the neighbour cluster");
        }
    }

    /** What the scenario waits for: a MachineDeployment control plane of n Machines and its etcd. */
    private record Formed(List<Machine> machines, long clusterId, Set<String> memberNames) {
    }

    /** The end of the scale down and what was seen on the way. */
    private record ScaleDown(Formed formed, Set<String> removed, Set<String> memberGoneWhileMachinePresent) {
    }

    private static final class Scenario {

        private final LocalEnvironment env;
        private final KubernetesClient client;

        Scenario(LocalEnvironment env) {
            this.env = env;
            this.client = env.client();
        }

        List<Machine> machines() {
            return client.resources(Machine.class).inNamespace(NS).withLabel(Machine.CLUSTER_NAME_LABEL, CLUSTER)
                    .list().getItems();
        }

        ConfigMap bootstrapRecord() {
            return client.configMaps().inNamespace(NS).withName(CLUSTER + "-kiln-bootstrap").get();
        }

        /** n control-plane Machines Running, none deleting, and etcd on each: n voters, no learner, one cluster. */
        Formed awaitFormed(int n, Duration within) throws InterruptedException {
            return await(n + " control-plane machines running with " + n + " healthy etcd voters", within, () -> {
                List<Machine> machines = machines();
                boolean running = machines.size() == n && machines.stream().allMatch(m -> Demo.isControlPlane(m)
                        && !m.isDeleting() && m.getStatus() != null && "Running".equals(m.getStatus().getPhase()));
                return running ? etcdFormed(machines) : null;
            });
        }

        private Formed etcdFormed(List<Machine> machines) {
            String kilnconfig = EtcdReport.kilnconfig(client, NS, CLUSTER).orElse(null);
            if (kilnconfig == null) {
                return null;
            }
            List<EtcdReport.NodeView> views = EtcdReport.ask(kilnconfig, Demo.controlPlaneNodes(env, machines));
            Set<Long> clusterIds = new HashSet<>();
            Set<String> names = null;
            for (EtcdReport.NodeView view : views) {
                if (!view.answered() || view.members().size() != machines.size()
                        || view.members().stream().anyMatch(EtcdMember::getIsLearner) || view.status().getIsLearner()) {
                    return null;
                }
                Set<String> seen = new HashSet<>(view.members().stream().map(EtcdMember::getHostname).toList());
                if (names != null && !names.equals(seen)) {
                    return null;
                }
                names = seen;
                clusterIds.add(view.status().getClusterId());
            }
            if (views.size() != machines.size() || clusterIds.size() != 1) {
                return null;
            }
            return new Formed(machines, clusterIds.iterator().next(), names);
        }

        /**
         * Waits for one Machine with one healthy voter, noting each removed Machine whose member was seen gone while
         * the Machine still existed: the order the pre-terminate hook promises (I3).
         */
        ScaleDown awaitScaledDownToOne(Duration within) throws InterruptedException {
            Set<String> everSeen = new HashSet<>();
            Set<String> goneWhilePresent = new HashSet<>();
            Formed formed = await("the control plane scaled down to 1 machine and 1 etcd voter", within, () -> {
                List<Machine> machines = machines();
                machines.forEach(m -> everSeen.add(m.getMetadata().getName()));
                Set<String> members = membersSeenByLiveNodes(machines);
                if (members != null) {
                    machines.stream().filter(Machine::isDeleting).map(m -> m.getMetadata().getName())
                            .filter(name -> !members.contains(name)).forEach(goneWhilePresent::add);
                }
                return machines.size() == 1 ? awaitFormedNow(machines) : null;
            });
            Set<String> removed = new HashSet<>(everSeen);
            removed.remove(formed.machines().get(0).getMetadata().getName());
            return new ScaleDown(formed, removed, goneWhilePresent);
        }

        private Formed awaitFormedNow(List<Machine> machines) {
            boolean running = machines.stream().allMatch(m -> !m.isDeleting() && m.getStatus() != null
                    && "Running".equals(m.getStatus().getPhase()));
            return running ? etcdFormed(machines) : null;
        }

        /** The member names reported by the first Machine not being deleted that answers, or null. */
        private Set<String> membersSeenByLiveNodes(List<Machine> machines) {
            String kilnconfig = EtcdReport.kilnconfig(client, NS, CLUSTER).orElse(null);
            if (kilnconfig == null) {
                return null;
            }
            List<Machine> live = machines.stream().filter(m -> !m.isDeleting()).toList();
            for (EtcdReport.NodeView view : EtcdReport.ask(kilnconfig, Demo.controlPlaneNodes(env, live))) {
                if (view.answered()) {
                    return new HashSet<>(view.members().stream().map(EtcdMember::getHostname).toList());
                }
            }
            return null;
        }

        List<String> clusterEventMessages(String reason) {
            return client.v1().events().inNamespace(NS).list().getItems().stream()
                    .filter(e -> e.getInvolvedObject() != null && "Cluster".equals(e.getInvolvedObject().getKind())
                            && CLUSTER.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                    .map(Event::getMessage).toList();
        }

        private <T> T await(String what, Duration within, Supplier<T> probe) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline) {
                if (!env.operator().isAlive()) {
                    fail("the operator exited with " + env.operator().process().exitValue() + " while waiting for "
                            + what + "; see " + env.operator().log());
                }
                T value = probe.get();
                if (value != null) {
                    return value;
                }
                Thread.sleep(250);
            }
            fail("timed out after " + within.toSeconds() + " s waiting for " + what + "; machines "
                    + machines().stream().map(m -> m.getMetadata().getName() + "=" + (m.getStatus() == null ? "?"
                            : m.getStatus().getPhase()) + (m.isDeleting() ? "(deleting)" : "")).toList()
                    + "; last etcd decision " + lastDecision() + "; see " + env.operator().log() + " and "
                    + WORK.resolve("machines"));
            return null;
        }

        private String lastDecision() {
            Cluster cluster = client.resources(Cluster.class).inNamespace(NS).withName(CLUSTER).get();
            return cluster == null || cluster.getMetadata().getAnnotations() == null ? "none"
                    : cluster.getMetadata().getAnnotations().get("kiln.dev/etcd-last-decision");
        }
    }

    /** Machine name to KilnServer name, from each Machine's providerID {@code kiln://<server>}. */
    private static Map<String, String> serversByMachine(List<Machine> machines) {
        Map<String, String> servers = new HashMap<>();
        for (Machine machine : machines) {
            String providerId = machine.getSpec().getProviderID();
            assertNotNull(providerId, machine.getMetadata().getName() + " has no providerID");
            servers.put(machine.getMetadata().getName(), providerId.substring("kiln://".length()));
        }
        return servers;
    }

    /** The server went back to the inventory: free, clean, in maintenance mode, no config and no etcd data on disk. */
    private static void assertServerFreedAndClean(LocalEnvironment env, String serverName) throws IOException {
        KilnServer server = env.client().resources(KilnServer.class).inNamespace(NS).withName(serverName).get();
        assertNotNull(server.getStatus(), serverName + " status");
        assertEquals(Boolean.FALSE, server.getStatus().getInUse(), serverName + " in use");
        assertEquals(Boolean.TRUE, server.getStatus().getClean(), serverName + " clean");
        assertEquals(Boolean.TRUE, server.getStatus().getMaintenance(), serverName + " maintenance");
        Machines.Machine machine = env.machines().list().stream().filter(m -> m.name().equals(serverName))
                .findFirst().orElseThrow();
        assertFalse(Files.exists(machine.root().resolve("STATE/config.yaml")), serverName + " still has a config");
        Path etcdData = machine.root().resolve("EPHEMERAL/etcd");
        if (Files.isDirectory(etcdData)) {
            try (Stream<Path> left = Files.list(etcdData)) {
                assertEquals(List.of(), left.toList(), serverName + " still has etcd data");
            }
        }
    }

    private static void figure(String what, long startedNanos) {
        System.out.printf("FIGURE %s %.1f s%n", what, (System.nanoTime() - startedNanos) / 1e9);
    }

    private static void peakRssFigures(LocalEnvironment env, String when) {
        System.out.println("FIGURE md-control-plane peak-rss " + when + " operator "
                + PeakRss.mib(env.operator().process().toHandle()));
        for (Machines.Machine m : env.machines().list()) {
            List<ProcessHandle> children = m.launcher().descendants().toList();
            String nodeInit = children.stream().filter(p -> p.info().command().orElse("").endsWith("java"))
                    .findFirst().map(PeakRss::mib).orElse("?");
            String etcd = children.stream().filter(p -> p.info().command().orElse("").endsWith("etcd"))
                    .findFirst().map(PeakRss::mib).orElse("none");
            System.out.println("FIGURE md-control-plane peak-rss " + when + " " + m.name() + " node-init " + nodeInit
                    + " etcd " + etcd);
        }
    }
}
