package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.testenv.kstatus.Kstatus.Status;
import dev.kiln.testenv.kstatus.KstatusAwait;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Scenarios 2, 4 and 5 of the end-to-end suite on one formed cluster, on real node-init processes and real etcd: scale
 * the KilnControlPlane 3 → 5 → 3 through its scale subresource, replace a deleted control-plane Machine, and recover
 * from a crashed node. Six machines on 127.0.52.1-6, all eligible for the control plane; no workers. Each scenario
 * starts by waiting for 3 healthy voting members, so one that fails leaves the others' failures readable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneChangesScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/control-plane-changes").toAbsolutePath();
    private static final Path MANIFESTS = Path.of("src/test/resources/scenarios/control-plane-changes");
    private static final String SUBNET = "127.0.52";
    private static final int MACHINES = 6;
    private static final String NAMESPACE = LocalEnvironment.NAMESPACE;
    private static final String CLUSTER = Demo.CLUSTER;
    private static final String SENTINEL_PREFIX = "/kiln-scenario/sentinel/";
    private static final int SENTINELS = 25;
    /** Generous for a 2-core machine shared with other end-to-end runs; success usually comes far sooner. */
    private static final Duration SETTLE = Duration.ofSeconds(300);

    private LocalEnvironment env;
    private Etcdctl etcdctl;
    private final Map<String, String> sentinels = new LinkedHashMap<>();
    /** The server of the node killed in the crash scenario: never wiped, so never clean again. */
    private final Set<String> neverWiped = new HashSet<>();

    /** The control plane as it stands when settled: Machines by name and the one member list every node agrees on. */
    record Settled(Map<String, Machine> machines, List<EtcdMember> members, List<String> nodes) {

        Set<Long> memberIds() {
            return members.stream().map(EtcdMember::getId).collect(Collectors.toSet());
        }

        long memberIdOf(String machineName) {
            return members.stream().filter(m -> m.getHostname().equals(machineName)).findFirst()
                    .orElseThrow(() -> new AssertionError("no etcd member named " + machineName + " in " + members))
                    .getId();
        }

        List<String> etcdEndpoints() {
            return nodes.stream().map(Etcdctl::clientUrl).toList();
        }
    }

    @BeforeAll
    void formClusterAndWriteSentinelKeys() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        assertTrue(Files.isExecutable(Etcdctl.BINARY),
                "etcdctl is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        // a killed node never answers again: waiting the default 2 minutes for it would prove nothing more
        env = LocalEnvironment.start(REPO, WORK, SUBNET, MACHINES, i -> Map.of("role", "controlplane"),
                Map.of("KILN_UNREACHABLE_NODE_GRACE", "20"));
        long start = System.nanoTime();
        Manifests.createAll(env.client(), MANIFESTS);
        Manifests.create(env.client(), REPO.resolve("examples/control-plane.yaml"));
        Settled formed = awaitSettled(3, Duration.ofSeconds(240), "the cluster to form");
        figure("form-3-control-plane", start);
        KstatusAwait.awaitClusterCurrent(env.client(), NAMESPACE, CLUSTER, SETTLE);

        etcdctl = Etcdctl.forCluster(env.client(), NAMESPACE, CLUSTER, WORK.resolve("etcdctl"));
        for (int i = 0; i < SENTINELS; i++) {
            String key = SENTINEL_PREFIX + String.format("%03d", i);
            String value = "written-before-any-change-" + i;
            etcdctl.put(formed.etcdEndpoints(), key, value);
            sentinels.put(key, value);
        }
        assertEquals(sentinels, etcdctl.getPrefix(formed.etcdEndpoints(), SENTINEL_PREFIX),
                "the sentinel keys read back right after writing");
    }

    @AfterAll
    void stopEverythingAndLeaveNoProcessBehind() {
        if (env == null) {
            return;
        }
        List<ProcessHandle> started = new ArrayList<>();
        started.add(env.operator().process().toHandle());
        for (Machines.Machine machine : env.machines().list()) {
            started.add(machine.launcher().toHandle());
            machine.launcher().toHandle().descendants().forEach(started::add);
        }
        List<String> neighbourMarks = NeighbourCluster.kilnMarks(env.client());
        env.close();
        assertEquals(List.of(), neighbourMarks, "Kiln touched the neighbour cluster");
        List<Long> left = started.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
        assertTrue(left.isEmpty(), "processes still running after the environment closed: " + left);
    }

    @Test
    @Order(1)
    @Timeout(value = 780, unit = TimeUnit.SECONDS)
    void scaleSubresourceGrowsTheControlPlaneToFiveAndShrinksItBackToThreeKeepingEveryKey() throws Exception {
        Settled three = awaitSettled(3, SETTLE, "3 healthy voting members before scaling");

        long up = System.nanoTime();
        controlPlane().scale(5);
        assertEquals(5, controlPlane().get().getSpec().getReplicas(), "spec.replicas after scaling to 5");
        KstatusAwait.await(env.client(), KilnControlPlane.class, NAMESPACE, CLUSTER, Status.IN_PROGRESS, SETTLE);
        Settled five = awaitSettled(5, SETTLE, "5 healthy voting members after scaling to 5");
        KstatusAwait.awaitClusterCurrent(env.client(), NAMESPACE, CLUSTER, SETTLE);
        figure("scale-3-to-5", up);
        assertTrue(five.machines().keySet().containsAll(three.machines().keySet()),
                "scaling up keeps the 3 machines it started with: " + five.machines().keySet());
        assertTrue(five.memberIds().containsAll(three.memberIds()), "scaling up keeps the 3 members");
        awaitStatusReplicas(5);

        long down = System.nanoTime();
        controlPlane().scale(3);
        KstatusAwait.await(env.client(), KilnControlPlane.class, NAMESPACE, CLUSTER, Status.IN_PROGRESS, SETTLE);
        Settled back = awaitSettled(3, SETTLE, "3 healthy voting members after scaling back to 3");
        KstatusAwait.awaitClusterCurrent(env.client(), NAMESPACE, CLUSTER, SETTLE);
        figure("scale-5-to-3", down);
        awaitStatusReplicas(3);

        List<String> removed = five.machines().keySet().stream()
                .filter(name -> !back.machines().containsKey(name)).sorted().toList();
        assertEquals(2, removed.size(), "machines removed by scaling down: " + removed);
        for (String name : removed) {
            long memberId = five.memberIdOf(name);
            assertFalse(back.memberIds().contains(memberId),
                    "the member " + Long.toHexString(memberId) + " of removed machine " + name + " is gone");
            assertNull(env.client().resources(Machine.class).inNamespace(NAMESPACE).withName(name).get(),
                    "removed Machine " + name + " is deleted");
        }
        assertServersFreeAndCleanExceptThoseOf(back, Set.of());
        for (String name : removed) {
            assertRebootedUnderItsLauncher(serverOf(five.machines().get(name)));
        }
        assertSentinelsReadable(back);
        peakRssFigures("scale");
        assertTemplateLabelReachesEveryMachineInPlace(back);
    }

    /** A label added to spec.machineTemplate.metadata reaches every Machine and KilnMachine; none is replaced. */
    private void assertTemplateLabelReachesEveryMachineInPlace(Settled settled) throws InterruptedException {
        Map<String, String> uids = new TreeMap<>();
        settled.machines().forEach((name, m) -> uids.put(name, m.getMetadata().getUid()));
        controlPlane().patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"machineTemplate\":{\"metadata\":{\"labels\":{\"scenario-step\":\"relabelled\"}}}}}");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> missing = List.of("not looked yet");
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            missing = new ArrayList<>();
            for (Machine m : controlPlaneMachines()) {
                String name = m.getMetadata().getName();
                KilnMachine kilnMachine = env.client().resources(KilnMachine.class).inNamespace(NAMESPACE)
                        .withName(name).get();
                if (!"relabelled".equals(m.getMetadata().getLabels().get("scenario-step"))) {
                    missing.add("Machine " + name);
                }
                if (kilnMachine == null || kilnMachine.getMetadata().getLabels() == null
                        || !"relabelled".equals(kilnMachine.getMetadata().getLabels().get("scenario-step"))) {
                    missing.add("KilnMachine " + name);
                }
            }
            Thread.sleep(500);
        }
        assertEquals(List.of(), missing, "objects without the template's new label after 60 s");
        Map<String, String> uidsAfter = new TreeMap<>();
        controlPlaneMachines().forEach(m -> uidsAfter.put(m.getMetadata().getName(), m.getMetadata().getUid()));
        assertEquals(uids, uidsAfter, "the same Machines (names and UIDs): a label change replaces none");
    }

    @Test
    @Order(2)
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void aDeletedMachineIsReplacedAndMembershipNeverExceedsThree() throws Exception {
        Settled before = awaitSettled(3, SETTLE, "3 healthy voting members before replacing a machine");
        String victim = before.machines().keySet().stream().sorted().findFirst().orElseThrow();
        long victimMember = before.memberIdOf(victim);

        long start = System.nanoTime();
        Instant replacementStart = Instant.now();
        env.client().resources(Machine.class).inNamespace(NAMESPACE).withName(victim).delete();
        Settled after = awaitSettled(3, SETTLE, "3 healthy voting members after deleting " + victim);
        figure("replace-1-of-3", start);
        // Every configuration etcd went through, from every member's own log: none is missed between two looks.
        EtcdMembershipHistory history = EtcdMembershipHistory.read(env.machines());
        assertEquals(List.of(), history.violations(3, replacementStart),
                "etcd's membership history, merged from every node's etcd log:\n" + history);
        System.out.println("FIGURE replace-membership-history-steps " + history.entries().size() + " max-members "
                + history.maxMembers(replacementStart));
        assertFalse(after.machines().containsKey(victim), "the deleted Machine is gone");
        assertFalse(after.memberIds().contains(victimMember),
                "the old member " + Long.toHexString(victimMember) + " of " + victim + " is gone");
        List<String> replacements = after.machines().keySet().stream()
                .filter(name -> !before.machines().containsKey(name)).toList();
        assertEquals(1, replacements.size(), "one replacement Machine: " + after.machines().keySet());
        assertServersFreeAndCleanExceptThoseOf(after, Set.of());
        assertSentinelsReadable(after);
        peakRssFigures("replace");
    }

    @Test
    @Order(3)
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void aCrashedNodeLeavesEtcdOnceItsMachineIsDeletedAndIsReplacedOnAFreeServer() throws Exception {
        Settled before = awaitSettled(3, SETTLE, "3 healthy voting members before crashing a node");
        String victim = before.machines().keySet().stream().sorted().findFirst().orElseThrow();
        long victimMember = before.memberIdOf(victim);
        String victimServer = serverOf(before.machines().get(victim));
        Machines.Machine crashed = env.machines().list().stream().filter(m -> m.name().equals(victimServer))
                .findFirst().orElseThrow();

        List<ProcessHandle> tree = crashed.launcher().toHandle().descendants().toList();
        assertTrue(tree.stream().anyMatch(p -> p.info().command().orElse("").endsWith("etcd")),
                crashed.name() + " runs etcd before the crash");
        long start = System.nanoTime();
        env.machines().kill(crashed);
        neverWiped.add(victimServer);
        assertFalse(crashed.launcher().isAlive(), "the launcher of " + crashed.name() + " is dead");
        for (ProcessHandle process : tree) {
            assertFalse(process.isAlive(), "process " + process.pid() + " of " + crashed.name() + " is dead");
        }
        env.client().resources(Machine.class).inNamespace(NAMESPACE).withName(victim).delete();

        Settled after = awaitSettled(3, Duration.ofSeconds(420),
                "3 healthy voting members after crashing " + crashed.name() + " and deleting " + victim);
        figure("crash-replace-1-of-3", start);
        assertFalse(after.machines().containsKey(victim), "the crashed node's Machine is gone");
        assertFalse(after.memberIds().contains(victimMember),
                "the stale member " + Long.toHexString(victimMember) + " of " + victim + " is gone");
        assertFalse(after.machines().values().stream().map(ControlPlaneChangesScenarioTest::serverOf)
                .anyMatch(victimServer::equals), "the replacement is not on the crashed server");

        KilnServer dead = env.client().resources(KilnServer.class).inNamespace(NAMESPACE).withName(victimServer).get();
        assertNotNull(dead.getStatus(), "KilnServer " + victimServer + " status");
        assertFalse(Boolean.TRUE.equals(dead.getStatus().getClean()),
                "the crashed server was never wiped, so it is not marked clean");
        assertFalse(Boolean.TRUE.equals(dead.getStatus().getInUse()), "the crashed server is no longer in use");
        assertTrue(dead.getStatus().getConditions() != null && !dead.getStatus().getConditions().isEmpty(),
                "the crashed server's status says why it is not clean");
        assertServersFreeAndCleanExceptThoseOf(after, Set.of(victimServer));
        assertSentinelsReadable(after);
        peakRssFigures("crash");
    }

    @Test
    @Order(4)
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void aMemberRemovedByHandIsNoticedAndItsMachineIsReplaced() throws Exception {
        Settled before = awaitSettled(3, SETTLE, "3 healthy voting members before removing a member by hand");
        List<String> names = before.machines().keySet().stream().sorted().toList();
        String victim = names.get(0);
        long victimMember = before.memberIdOf(victim);
        String kilnconfig = EtcdReport.kilnconfig(env.client(), NAMESPACE, CLUSTER).orElseThrow();
        // By the Machine, not by position: the nodes are listed in the order the API lists Machines, not by name.
        String otherNode = Demo.address(env, before.machines().get(names.get(1)));

        long start = System.nanoTime();
        EtcdReport.removeMember(kilnconfig, otherNode, victimMember);
        Settled after = awaitSettled(3, SETTLE, "3 healthy voting members after removing " + victim + "'s member");
        figure("replace-removed-member", start);

        assertFalse(after.machines().containsKey(victim), "the Machine whose member was removed is gone");
        assertFalse(after.memberIds().contains(victimMember), "the removed member did not come back");
        List<Event> replaced = BootstrapEvidence.clusterEvents(env.client(), "MachineReplaced");
        assertTrue(replaced.stream().anyMatch(e -> e.getMessage().contains("machine " + victim)
                && e.getMessage().contains("removed from the cluster")), "MachineReplaced events: " + replaced);
        assertEquals(1, after.machines().keySet().stream().filter(name -> !before.machines().containsKey(name))
                .count(), "one replacement Machine: " + after.machines().keySet());
        assertServersFreeAndCleanExceptThoseOf(after, neverWiped);
        assertSentinelsReadable(after);
    }

    /**
     * Waits until the control plane has exactly {@code voters} Machines, none deleting, all Running, and every one
     * of their nodes lists the same {@code voters} members, none a learner.
     */
    private Settled awaitSettled(int voters, Duration within, String what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "nothing observed yet";
        while (System.nanoTime() < deadline) {
            assertTrue(env.operator().isAlive(), "the operator exited; see " + env.operator().log());
            List<Machine> machines = controlPlaneMachines();
            List<String> notRunning = machines.stream()
                    .filter(m -> m.isDeleting() || m.getStatus() == null || !"Running".equals(m.getStatus().getPhase()))
                    .map(m -> m.getMetadata().getName() + (m.isDeleting() ? " deleting" : " "
                            + (m.getStatus() == null ? "Pending" : m.getStatus().getPhase())))
                    .toList();
            String kilnconfig = EtcdReport.kilnconfig(env.client(), NAMESPACE, CLUSTER).orElse(null);
            if (machines.size() != voters || !notRunning.isEmpty() || kilnconfig == null) {
                last = machines.size() + " control-plane Machines " + machineNames(machines)
                        + (notRunning.isEmpty() ? "" : ", not running: " + notRunning)
                        + (kilnconfig == null ? ", no kilnconfig Secret" : "");
            } else {
                List<String> nodes = Demo.controlPlaneNodes(env, machines);
                String disagreement = disagreement(EtcdReport.ask(kilnconfig, nodes), voters);
                if (disagreement == null) {
                    List<EtcdMember> members = EtcdReport.ask(kilnconfig, nodes.subList(0, 1)).get(0).members();
                    Map<String, Machine> byName = new TreeMap<>();
                    machines.forEach(m -> byName.put(m.getMetadata().getName(), m));
                    assertEquals(byName.keySet(), members.stream().map(EtcdMember::getHostname)
                            .collect(Collectors.toCollection(java.util.TreeSet::new)),
                            "etcd member names are the control-plane Machine names");
                    return new Settled(byName, members, nodes);
                }
                last = disagreement;
            }
            Thread.sleep(1000);
        }
        fail("timed out after " + within.toSeconds() + " s waiting for " + what + "; last seen: " + last
                + "; see " + env.operator().log() + " and " + WORK.resolve("machines"));
        return null;
    }

    /** Null when every node answers with the same {@code voters} voting members; else what is off. */
    private static String disagreement(List<EtcdReport.NodeView> views, int voters) {
        Set<Long> agreed = null;
        for (EtcdReport.NodeView view : views) {
            if (!view.answered()) {
                return view.node() + " did not answer: " + view.error();
            }
            Set<Long> ids = view.members().stream().map(EtcdMember::getId).collect(Collectors.toSet());
            if (view.members().size() != voters || view.members().stream().anyMatch(EtcdMember::getIsLearner)) {
                return view.node() + " lists " + describe(view.members());
            }
            if (agreed != null && !agreed.equals(ids)) {
                return view.node() + " lists other members: " + describe(view.members());
            }
            agreed = ids;
        }
        return null;
    }

    static String describe(List<EtcdMember> members) {
        return members.stream().map(m -> m.getHostname() + "(" + Long.toHexString(m.getId())
                + (m.getIsLearner() ? ", learner" : "") + ")").toList().toString();
    }

    private List<Machine> controlPlaneMachines() {
        return env.client().resources(Machine.class).inNamespace(NAMESPACE)
                .withLabel(Machine.CLUSTER_NAME_LABEL, CLUSTER).withLabel(Machine.CONTROL_PLANE_LABEL)
                .list().getItems();
    }

    private static List<String> machineNames(List<Machine> machines) {
        return machines.stream().map(m -> m.getMetadata().getName()).sorted().toList();
    }

    private io.fabric8.kubernetes.client.dsl.Resource<KilnControlPlane> controlPlane() {
        return env.client().resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CLUSTER);
    }

    /** status.replicas is what the CRD's scale subresource reports as the current count (statusReplicasPath). */
    private void awaitStatusReplicas(int replicas) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        KilnControlPlane current = null;
        while (System.nanoTime() < deadline) {
            current = controlPlane().get();
            if (current.getStatus() != null && Integer.valueOf(replicas).equals(current.getStatus().getReplicas())
                    && current.getStatus().getSelector() != null) {
                return;
            }
            Thread.sleep(1000);
        }
        fail("KilnControlPlane status.replicas is not " + replicas + " with a selector: "
                + (current == null ? null : env.client().getKubernetesSerialization().asYaml(current.getStatus())));
    }

    private static String serverOf(Machine machine) {
        String providerId = machine.getSpec().getProviderID();
        assertNotNull(providerId, "providerID of " + machine.getMetadata().getName());
        return providerId.substring("kiln://".length());
    }

    /** Servers of the settled machines are in use; every other server (but {@code dirty}) is free and clean again. */
    private void assertServersFreeAndCleanExceptThoseOf(Settled settled, Set<String> dirty)
            throws InterruptedException {
        Set<String> used = settled.machines().values().stream().map(ControlPlaneChangesScenarioTest::serverOf)
                .collect(Collectors.toSet());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, String> wrong = new HashMap<>();
        while (System.nanoTime() < deadline) {
            wrong.clear();
            for (KilnServer server : env.client().resources(KilnServer.class).inNamespace(NAMESPACE).list().getItems()) {
                String name = server.getMetadata().getName();
                var status = server.getStatus();
                boolean inUse = status != null && Boolean.TRUE.equals(status.getInUse());
                boolean clean = status != null && Boolean.TRUE.equals(status.getClean());
                if (used.contains(name) && !inUse) {
                    wrong.put(name, "runs a control-plane machine but is not in use");
                } else if (!used.contains(name) && !dirty.contains(name) && (inUse || !clean)) {
                    wrong.put(name, "should be free and clean: inUse " + inUse + ", clean " + clean);
                }
            }
            if (wrong.isEmpty()) {
                return;
            }
            Thread.sleep(1000);
        }
        fail("KilnServers: " + wrong);
    }

    /**
     * A released server's node exited with the reboot code twice (into its config, then after the reset) and the same
     * launcher started it again each time: it answers again and its launcher is the one started with the machine.
     */
    private void assertRebootedUnderItsLauncher(String server) {
        Machines.Machine machine = env.machines().list().stream().filter(m -> m.name().equals(server)).findFirst()
                .orElseThrow();
        assertTrue(machine.launcher().isAlive(), server + ": its launcher still runs");
        long reboots = machine.consoleText().lines().filter(line -> line.equals("node-init: rebooting")).count();
        assertTrue(reboots >= 2, server + " rebooted " + reboots + " times under its launcher; console "
                + machine.console());
        assertTrue(machine.launcher().toHandle().descendants()
                .anyMatch(p -> p.info().command().orElse("").endsWith("java")), server + ": node-init runs again");
    }

    private void assertSentinelsReadable(Settled settled) {
        assertEquals(sentinels, etcdctl.getPrefix(settled.etcdEndpoints(), SENTINEL_PREFIX),
                "every sentinel key written before the changes is readable");
    }

    private static void figure(String what, long startNanos) {
        System.out.printf("FIGURE %s %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
    }

    /** Peak RSS (VmHWM) of the operator and the largest of the running node-init JVMs and etcd processes. */
    private void peakRssFigures(String after) {
        long nodeInit = 0;
        long etcd = 0;
        for (Machines.Machine machine : env.machines().list()) {
            for (ProcessHandle process : machine.launcher().descendants().toList()) {
                String command = process.info().command().orElse("");
                long kib = PeakRss.kib(process).orElse(0L);
                if (command.endsWith("java")) {
                    nodeInit = Math.max(nodeInit, kib);
                } else if (command.endsWith("etcd")) {
                    etcd = Math.max(etcd, kib);
                }
            }
        }
        System.out.println("FIGURE peak-rss after " + after + ": operator "
                + PeakRss.mib(env.operator().process().toHandle()) + ", largest node-init " + nodeInit / 1024
                + " MiB, largest etcd " + etcd / 1024 + " MiB");
    }
}
