package dev.kiln.testenv.bench;

import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.api.machine.EtcdMember;
import dev.kiln.testenv.EtcdReport;
import dev.kiln.testenv.LocalEnvironment;
import dev.kiln.testenv.Machines;
import dev.kiln.testenv.Manifests;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One Kiln run in the local environment (management API stand-in in this JVM, the operator and one node-init per
 * server as processes): the formation from applying {@code examples/}, then the replacement of a deleted
 * control-plane Machine. Six servers: four may hold the control plane (three plus the spare the replacement takes),
 * two are for workers.
 */
final class KilnFormation {

    static final String CLUSTER = "demo";
    static final int SERVERS = 6;
    private static final String NAMESPACE = LocalEnvironment.NAMESPACE;
    private static final long POLL_MILLIS = 100;

    /** What one run measured, and the formation's phases. */
    record Result(Duration formation, Duration replacement, FormationTimeline timeline) {
    }

    /** What the control-plane nodes say about etcd at one look. */
    private sealed interface View permits Settled, Unsettled {
    }

    /** 3 voters every node agrees on: Machines by name, member IDs by name, the leader's ID. */
    private record Settled(Map<String, Machine> machines, Map<String, Long> memberIds, long leader)
            implements View {
    }

    /** Not settled yet, and why. */
    private record Unsettled(String why) implements View {
    }

    private final Path repo;
    private final Path work;
    private final String subnet;
    private final Duration within;
    private final PrintStream log;

    KilnFormation(Path repo, Path work, String subnet, Duration within, PrintStream log) {
        this.repo = repo;
        this.work = work;
        this.subnet = subnet;
        this.within = within;
        this.log = log;
    }

    Result run() throws Exception {
        log.println("starting the local environment: management API, operator, " + SERVERS + " machines on "
                + subnet + ".1-" + SERVERS);
        try (LocalEnvironment env = LocalEnvironment.start(repo, work, subnet, SERVERS,
                i -> Map.of("role", i <= 4 ? "controlplane" : "worker"), Map.of())) {
            awaitOperatorStarted(env);
            Map<String, Path> nodeLogs = new LinkedHashMap<>();
            for (Machines.Machine machine : env.machines().list()) {
                nodeLogs.put(machine.name(), machine.console());
                nodeLogs.put(machine.name() + " etcd", machine.root().resolve("EPHEMERAL/logs/etcd.log"));
            }
            FormationTimeline timeline;
            Duration formation;
            try (LineClock clock = LineClock.start(nodeLogs)) {
                Instant applied = Instant.now();
                long start = System.nanoTime();
                timeline = new FormationTimeline(applied);
                Manifests.createAll(env.client(), repo.resolve("examples"));
                log.println("applied examples/; waiting for 3 control-plane voters and 2 workers Running");
                awaitFormed(env, timeline);
                formation = Duration.ofNanos(System.nanoTime() - start);
                clock.close();
                timeline.addOperatorLog(env.operator().logText());
                timeline.addNodeLines(clock.lines());
            }
            log.printf("formed in %.2f s%n", formation.toMillis() / 1000.0);
            Thread.sleep(FormationBench.STEADY.toMillis());
            Duration replacement = replaceOne(env);
            log.printf("replaced a control-plane machine in %.2f s%n", replacement.toMillis() / 1000.0);
            return new Result(formation, replacement, timeline);
        }
    }

    private void awaitOperatorStarted(LocalEnvironment env) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!env.operator().logText().contains("Kiln operator started")) {
            if (!env.operator().isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the operator did not start; see " + env.operator().log());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** Polls the management API, noting each Machine's creation and Running and the bootstrap record's arrival. */
    private void awaitFormed(LocalEnvironment env, FormationTimeline timeline) throws InterruptedException {
        KubernetesClient client = env.client();
        Set<String> seen = new HashSet<>();
        Set<String> running = new HashSet<>();
        boolean recordSeen = false;
        long deadline = System.nanoTime() + within.toNanos();
        String last = "nothing yet";
        while (System.nanoTime() < deadline) {
            ensureOperatorAlive(env);
            Instant now = Instant.now();
            List<Machine> machines = clusterMachines(client);
            for (Machine machine : machines) {
                String name = machine.getMetadata().getName();
                String role = isControlPlane(machine) ? "control-plane" : "worker";
                if (seen.add(name)) {
                    timeline.add(now, "Machine created: " + name + " (" + role + ")");
                }
                if (isRunning(machine) && running.add(name)) {
                    timeline.add(now, "Machine Running: " + name + " (" + role + ")");
                }
            }
            if (!recordSeen && client.configMaps().inNamespace(NAMESPACE).withName(CLUSTER + "-kiln-bootstrap")
                    .get() != null) {
                recordSeen = true;
                timeline.add(now, "bootstrap record in the management API");
            }
            if (machines.size() == 5 && machines.stream().allMatch(KilnFormation::isRunning)) {
                List<Machine> controlPlane = machines.stream().filter(KilnFormation::isControlPlane).toList();
                View view = settled(env, controlPlane);
                if (view instanceof Unsettled unsettled) {
                    last = unsettled.why();
                } else {
                    timeline.add(Instant.now(), "3 voting members agree on every control-plane node: formed");
                    return;
                }
            } else {
                last = machines.size() + " Machines, " + running.size() + " Running";
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("the cluster did not form within " + within + "; last seen: " + last
                + "; see " + env.operator().log() + " and " + work.resolve("machines"));
    }

    /** Deletes the first control-plane Machine by name whose member follows; done when 3 voters agree, the old member and Machine gone. */
    private Duration replaceOne(LocalEnvironment env) throws InterruptedException {
        KubernetesClient client = env.client();
        List<Machine> controlPlane = clusterMachines(client).stream().filter(KilnFormation::isControlPlane).toList();
        if (!(settled(env, controlPlane) instanceof Settled before)) {
            throw new IllegalStateException("the control plane is not settled before the replacement");
        }
        // a follower, as in the raw replacement: removing the leader would add an election to either figure
        String victim = before.machines().keySet().stream().sorted()
                .filter(name -> before.memberIds().get(name) != before.leader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no follower among " + before.memberIds()));
        long victimMember = before.memberIds().get(victim);
        log.println("deleting control-plane Machine " + victim + " (etcd member " + Long.toHexString(victimMember)
                + ")");
        long start = System.nanoTime();
        client.resources(Machine.class).inNamespace(NAMESPACE).withName(victim).delete();
        long deadline = start + within.toNanos();
        String last = "nothing yet";
        while (System.nanoTime() < deadline) {
            ensureOperatorAlive(env);
            // The old member gone is the end; the old Machine may still be deleting while its server is wiped.
            List<Machine> machines = clusterMachines(client).stream().filter(KilnFormation::isControlPlane)
                    .filter(machine -> !machine.isDeleting()).toList();
            boolean machinesDone = machines.size() == 3 && machines.stream().allMatch(KilnFormation::isRunning)
                    && machines.stream().noneMatch(m -> m.getMetadata().getName().equals(victim));
            if (machinesDone) {
                View view = settled(env, machines);
                if (view instanceof Settled after && !after.memberIds().containsValue(victimMember)) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                last = view instanceof Unsettled unsettled ? unsettled.why() : "the old member is still listed";
            } else {
                last = machines.stream().map(m -> m.getMetadata().getName() + (isRunning(m) ? "" : " (not Running)"))
                        .toList().toString();
            }
            Thread.sleep(POLL_MILLIS);
        }
        throw new IllegalStateException("the replacement of " + victim + " did not settle within " + within
                + "; last seen: " + last + "; see " + env.operator().log());
    }

    /** Settled when every control-plane node answers with the same 3 voting members. */
    private View settled(LocalEnvironment env, List<Machine> controlPlane) {
        String kilnconfig = EtcdReport.kilnconfig(env.client(), NAMESPACE, CLUSTER).orElse(null);
        if (kilnconfig == null) {
            return new Unsettled("no kilnconfig Secret yet");
        }
        if (controlPlane.size() != 3 || controlPlane.stream().anyMatch(Machine::isDeleting)) {
            return new Unsettled(controlPlane.size() + " control-plane Machines");
        }
        List<String> nodes = new ArrayList<>();
        for (Machine machine : controlPlane) {
            nodes.add(endpoint(env, machine));
        }
        Set<Set<Long>> memberSets = new HashSet<>();
        Set<Long> leaders = new HashSet<>();
        Map<String, Long> ids = new LinkedHashMap<>();
        for (EtcdReport.NodeView view : EtcdReport.ask(kilnconfig, nodes)) {
            if (!view.answered()) {
                return new Unsettled(view.node() + " did not answer: " + view.error());
            }
            if (view.members().size() != 3 || view.members().stream().anyMatch(EtcdMember::getIsLearner)) {
                return new Unsettled(view.node() + " lists " + view.members().size() + " members ("
                        + view.members().stream().filter(EtcdMember::getIsLearner).count() + " learners)");
            }
            memberSets.add(view.members().stream().map(EtcdMember::getId).collect(Collectors.toSet()));
            view.members().forEach(m -> ids.put(m.getHostname(), m.getId()));
            leaders.add(view.status().getLeader());
        }
        if (memberSets.size() != 1 || leaders.size() != 1) {
            return new Unsettled("the control-plane nodes list different members or leaders");
        }
        Map<String, Machine> byName = new LinkedHashMap<>();
        controlPlane.forEach(m -> byName.put(m.getMetadata().getName(), m));
        return new Settled(byName, ids, leaders.iterator().next());
    }

    private static String endpoint(LocalEnvironment env, Machine machine) {
        String providerId = machine.getSpec().getProviderID();
        String server = providerId == null ? "" : providerId.substring(providerId.indexOf("://") + 3);
        return env.machines().list().stream().filter(m -> m.name().equals(server)).map(Machines.Machine::endpoint)
                .findFirst().orElseThrow(() -> new IllegalStateException("Machine " + machine.getMetadata().getName()
                        + " has provider ID " + providerId + ", which names no server"));
    }

    private static void ensureOperatorAlive(LocalEnvironment env) {
        if (!env.operator().isAlive()) {
            throw new IllegalStateException("the operator exited with " + env.operator().process().exitValue()
                    + "; see " + env.operator().log());
        }
    }

    private static List<Machine> clusterMachines(KubernetesClient client) {
        return client.resources(Machine.class).inNamespace(NAMESPACE)
                .withLabel(Machine.CLUSTER_NAME_LABEL, CLUSTER).list().getItems();
    }

    private static boolean isControlPlane(Machine machine) {
        return machine.getMetadata().getLabels() != null
                && machine.getMetadata().getLabels().containsKey(Machine.CONTROL_PLANE_LABEL);
    }

    private static boolean isRunning(Machine machine) {
        return !machine.isDeleting() && machine.getStatus() != null && "Running".equals(machine.getStatus().getPhase());
    }
}
