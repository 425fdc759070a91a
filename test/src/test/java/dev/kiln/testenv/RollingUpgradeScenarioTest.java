package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import dev.kiln.capi.node.GrpcNodeConnector;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.testenv.kstatus.Kstatus.Status;
import dev.kiln.testenv.capi.MachineDeploymentStandIn;
import dev.kiln.testenv.kstatus.KstatusAwait;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Upgrades on real node-init and real etcd (127.0.83.1-3 control plane, .4-.5 workers), releases built from this tree
 * and served over HTTPS from this JVM (127.0.83.250): the control plane in place and the workers by a MachineDeployment
 * rollover, v0.1.0 → v0.2.0 under a steady writer; then a release that never starts, which the first control-plane
 * machine rolls back and which halts the rollout; then kilnctl rollback on a worker. The subnet is the system property
 * {@code kiln.rolling-upgrade.subnet} when set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RollingUpgradeScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/rolling-upgrade").toAbsolutePath();
    private static final Path MANIFESTS = Path.of("src/test/resources/scenarios/rolling-upgrade");
    private static final String SUBNET = System.getProperty("kiln.rolling-upgrade.subnet", "127.0.83");
    private static final int CONTROL_PLANE = 3;
    private static final String WORKERS = "demo-workers";
    private static final String RELEASE_ADDRESS = SUBNET + ".250";
    private static final String NAMESPACE = LocalEnvironment.NAMESPACE;
    private static final String CLUSTER = Demo.CLUSTER;
    private static final String KEYS = "/kiln-rollout/";
    private static final Duration SETTLE = Duration.ofSeconds(400);

    private ReleaseServer releases;
    private NodeReleases.Release v2;
    private NodeReleases.Release broken;
    private LocalEnvironment env;
    private Etcdctl etcdctl;
    private NodeCredentials admin;
    // Generous: on a loaded 2-core machine a slow answer is not a node that is down (a rebooting one refuses at once).
    private final GrpcNodeConnector connector = new GrpcNodeConnector(Duration.ofSeconds(15));

    @BeforeAll
    void serveReleasesAndFormTheCluster() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        NodeReleases built = new NodeReleases(WORK.resolve("releases"),
                REPO.resolve("node-init/target/node-init-0.1.0-SNAPSHOT-all.jar"));
        v2 = built.working("v0.2.0");
        broken = built.neverStarts("v0.3.0");
        releases = ReleaseServer.serve(WORK.resolve("releases"), RELEASE_ADDRESS, WORK.resolve("releases-ca.pem"));
        env = LocalEnvironment.start(REPO, WORK, SUBNET, CONTROL_PLANE + 2,
                i -> Map.of("role", i <= CONTROL_PLANE ? "controlplane" : "worker"), Map.of(),
                Optional.empty(), List.of("--download-ca", releases.caPem().toString()));
        Manifests.createAll(env.client(), onThisSubnet(MANIFESTS, WORK.resolve("manifests")));
        Manifests.create(env.client(), REPO.resolve("examples/control-plane.yaml"));
        KstatusAwait.awaitClusterCurrent(env.client(), NAMESPACE, CLUSTER, SETTLE);
        etcdctl = Etcdctl.forCluster(env.client(), NAMESPACE, CLUSTER, WORK.resolve("etcdctl"));
        admin = new NodeCredentials.ClusterAdmin(ClusterSecrets.load(env.client(), NAMESPACE, CLUSTER).orElseThrow());
        awaitWorkers("two workers Running on v0.1.0", "v0.1.0");
    }

    @AfterAll
    void stopEverything() {
        if (env != null) {
            env.close();
        }
        if (releases != null) {
            releases.close();
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void controlPlaneInPlaceAndWorkersByRolloverUpgradeUnderASteadyWriterLosingNoKey() throws Exception {
        List<String> endpoints = controlPlane().stream().map(m -> Etcdctl.clientUrl(m.address())).toList();
        List<String> oldWorkers = workers().stream().map(m -> m.getMetadata().getName()).toList();
        Writer writer = new Writer(endpoints);
        Sampler sampler = new Sampler();
        Thread writing = new Thread(writer, "writer");
        Thread sampling = new Thread(sampler, "sampler");
        writing.start();
        sampling.start();
        long start = System.nanoTime();
        try {
            writer.awaitAcks(20);
            sampler.startRolloutOnceAllSettled();
            long rollout = System.nanoTime();
            setTarget(v2.version(), releases.ref(v2));
            rollWorkersTo(v2.version(), releases.ref(v2));
            awaitKcp("status.version " + v2.version() + " with 3 machines up to date", cp -> cp.getStatus() != null
                    && v2.version().equals(cp.getStatus().getVersion())
                    && Integer.valueOf(3).equals(cp.getStatus().getUpToDateReplicas()));
            Figures.print("rolling-upgrade-3-machines", Figures.since(start));
            KstatusAwait.await(env.client(), KilnControlPlane.class, NAMESPACE, CLUSTER, Status.CURRENT, SETTLE);
            awaitWorkers("two new workers Running on " + v2.version(), v2.version());
            Figures.print("rolling-upgrade-2-workers-rollover", Figures.since(rollout));
            int acked = writer.acked.size();
            writer.awaitAcks(acked + 20);
        } finally {
            writer.stop.set(true);
            sampler.stop.set(true);
            writing.join();
            sampling.join();
        }
        writer.printFigures();
        sampler.printUpgradeTimes();

        for (Machines.Machine machine : env.machines().list()) {
            try (NodeApi api = connector.connect(machine.endpoint(), admin)) {
                NodeApi.NodeVersion version = api.version();
                assertEquals(v2.version(), version.running(), machine.name());
                assertTrue(!version.trial(), machine.name() + " still on trial");
            }
        }
        List<Machine> newWorkers = workers();
        assertTrue(newWorkers.stream().noneMatch(m -> oldWorkers.contains(m.getMetadata().getName())),
                "the workers were replaced: " + oldWorkers + " → " + newWorkers.stream()
                        .map(m -> m.getMetadata().getName()).toList());
        for (Machine worker : newWorkers) {
            KilnMachine infra = env.client().resources(KilnMachine.class).inNamespace(NAMESPACE)
                    .withName(worker.getSpec().getInfrastructureRef().getName()).get();
            assertEquals(v2.version(), infra.getMetadata().getAnnotations().get("kiln.dev/upgrade-target"),
                    "the KilnMachine upgraded its node before it reported ready: " + worker.getMetadata().getName());
        }
        Map<String, String> stored = etcdctl.getPrefix(endpoints, KEYS);
        List<String> lost = writer.acked.stream().filter(k -> !stored.containsKey(k)).toList();
        assertEquals(List.of(), lost, "acknowledged keys missing after the rollout");
        assertTrue(sampler.leaderChanges() <= 3, "leader changes: " + sampler.leaderChanges() + " " + sampler.leaders);
        assertEquals(List.of(), sampler.overlaps(), "samples with more than one machine not settled");
        assertEquals(CONTROL_PLANE, upgradeEvents(v2.version()).size(), upgradeEvents(v2.version()).toString());
    }

    @Test
    @Order(2)
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void aReleaseThatNeverStartsIsRolledBackOnTheFirstMachineAndHaltsTheRollout() throws Exception {
        Map<String, String> before = new LinkedHashMap<>();
        for (Machines.Machine machine : controlPlane()) {
            try (NodeApi api = connector.connect(machine.endpoint(), admin)) {
                before.put(machine.name(), api.version().lastRollback().orElse(""));
            }
        }
        setTarget(broken.version(), releases.ref(broken));
        KstatusAwait.await(env.client(), KilnControlPlane.class, NAMESPACE, CLUSTER, Status.FAILED, SETTLE);

        KilnControlPlane halted = kcp();
        String decision = halted.getStatus().getLastDecision();
        assertTrue(decision.startsWith("Halt: upgrade to v0.3.0 failed on machine "), decision);
        assertTrue(decision.contains("rolled back from v0.3.0 to v0.2.0"), decision);
        Condition stalled = Conditions.get(halted.getStatus(), KstatusConditions.STALLED).orElseThrow();
        assertEquals(Conditions.TRUE, stalled.getStatus());
        assertEquals("UpgradeFailed", stalled.getReason(), stalled.toString());
        List<String> upgraded = upgradeEvents(broken.version());
        assertEquals(1, upgraded.size(), upgraded.toString());
        List<String> touched = controlPlane().stream().map(Machines.Machine::name).filter(server -> {
            try (NodeApi api = connector.connect(controlPlane().stream().filter(m -> m.name().equals(server))
                    .findFirst().orElseThrow().endpoint(), admin)) {
                NodeApi.NodeVersion version = api.version();
                assertEquals(v2.version(), version.running(), server + " runs the last good release");
                assertTrue(!version.trial(), server + " on trial");
                return !version.lastRollback().orElse("").equals(before.get(server));
            }
        }).toList();
        assertEquals(1, touched.size(), "exactly one node rolled back: " + touched);
        String endpoints = String.join(",", controlPlane().stream().map(m -> Etcdctl.clientUrl(m.address()))
                .toList());
        for (Machines.Machine machine : controlPlane()) {
            try (NodeApi api = connector.connect(machine.endpoint(), admin)) {
                assertTrue(api.etcdStatus().healthy(), machine.name() + " etcd healthy after the halt");
            }
        }
        assertTrue(!etcdctl.getPrefix(List.of(endpoints.split(",")), KEYS).isEmpty(), "keys readable");
    }

    @Test
    @Order(3)
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void kilnctlRollbackBootsTheWorkersPreviousReleaseAndTheNodeReportsIt() throws Exception {
        Machine worker = workers().get(0);
        String address = worker.getStatus().getAddresses().get(0).getAddress();
        Machines.Machine node = env.machines().byAddress(address);
        Path kilnconfig = Files.writeString(WORK.resolve("kilnconfig"),
                EtcdReport.kilnconfig(env.client(), NAMESPACE, CLUSTER).orElseThrow());
        String output = kilnctl("rollback", "--kilnconfig", kilnconfig.toString(), "-n", address);
        assertTrue(output.contains("rolling back"), output);

        String expected = "rolled back from " + v2.version() + " to v0.1.0: requested through the API";
        NodeApi.NodeVersion after = awaitNode(node, "running v0.1.0 off trial after the rollback",
                version -> version.running().equals("v0.1.0") && !version.trial());
        assertEquals(Optional.of(expected), after.lastRollback());
        String version = kilnctl("version", "--kilnconfig", kilnconfig.toString(), "-n", address);
        assertTrue(version.contains(expected), "kilnctl version reports the rollback:\n" + version);
    }

    // ---- helpers

    private List<Machines.Machine> controlPlane() {
        return env.machines().list().subList(0, CONTROL_PLANE);
    }

    /** The worker Machines of the MachineDeployment that are not being deleted. */
    private List<Machine> workers() {
        return env.client().resources(Machine.class).inNamespace(NAMESPACE)
                .withLabel(MachineDeploymentStandIn.DEPLOYMENT_NAME_LABEL, WORKERS).list().getItems().stream()
                .filter(m -> !m.isDeleting()).toList();
    }

    /** Both workers Running with {@code version} as their Machine version, and their nodes running it off trial. */
    private void awaitWorkers(String what, String version) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<String> last = List.of();
        while (System.nanoTime() < deadline) {
            assertTrue(env.operator().isAlive(), "the operator exited; see " + env.operator().log());
            List<Machine> all = env.client().resources(Machine.class).inNamespace(NAMESPACE)
                    .withLabel(MachineDeploymentStandIn.DEPLOYMENT_NAME_LABEL, WORKERS).list().getItems();
            last = all.stream().map(m -> m.getMetadata().getName() + " " + m.getSpec().getVersion() + " "
                    + (m.getStatus() == null ? "-" : m.getStatus().getPhase())).toList();
            boolean running = all.size() == 2 && all.stream().allMatch(m -> version.equals(m.getSpec().getVersion())
                    && m.getStatus() != null && "Running".equals(m.getStatus().getPhase()));
            if (running && all.stream().allMatch(m -> nodeRuns(m, version))) {
                return;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("timed out waiting for " + what + "; workers: " + last + "; see "
                + env.operator().log());
    }

    private boolean nodeRuns(Machine machine, String version) {
        String address = machine.getStatus().getAddresses() == null || machine.getStatus().getAddresses().isEmpty()
                ? null : machine.getStatus().getAddresses().get(0).getAddress();
        if (address == null) {
            return false;
        }
        try (NodeApi api = connector.connect(env.machines().byAddress(address).endpoint(), admin)) {
            NodeApi.NodeVersion reported = api.version();
            return version.equals(reported.running()) && !reported.trial();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The Cluster API way: a new KilnMachineTemplate naming the release, and the MachineDeployment's template pointed
     * at it with the new version, so the deployment replaces its Machines.
     */
    private void rollWorkersTo(String version, String image) {
        KilnMachineTemplate current = env.client().resources(KilnMachineTemplate.class).inNamespace(NAMESPACE)
                .withName(WORKERS + "-v1").require();
        KilnMachineTemplate next = new KilnMachineTemplate();
        next.setMetadata(new ObjectMetaBuilder().withName(WORKERS + "-" + version).withNamespace(NAMESPACE).build());
        next.setSpec(Serialization.clone(current.getSpec()));
        next.getSpec().getTemplate().getSpec().setReleaseImage(image);
        env.client().resource(next).create();
        env.client().resources(MachineDeployment.class).inNamespace(NAMESPACE).withName(WORKERS).edit(deployment -> {
            deployment.getSpec().getTemplate().getSpec().setVersion(version);
            deployment.getSpec().getTemplate().getSpec().getInfrastructureRef().setName(next.getMetadata().getName());
            return deployment;
        });
    }

    private NodeApi.NodeVersion awaitNode(Machines.Machine node, String what,
            java.util.function.Predicate<NodeApi.NodeVersion> done) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try (NodeApi api = connector.connect(node.endpoint(), admin)) {
                NodeApi.NodeVersion version = api.version();
                if (done.test(version)) {
                    return version;
                }
                last = version.toString();
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("timed out waiting for " + node.name() + " " + what + "; last: " + last);
    }

    private static String kilnctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", REPO.resolve("kilnctl/target/kilnctl-0.1.0-SNAPSHOT-all.jar").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, process.exitValue(), "kilnctl " + String.join(" ", args) + ":\n" + output);
        return output;
    }

    /** The scenario's manifests with their 127.0.83.x addresses moved to the subnet this run uses. */
    private static Path onThisSubnet(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.writeString(to.resolve(file.getFileName().toString()),
                        Files.readString(file).replace("127.0.83.", SUBNET + "."));
            }
        }
        return to;
    }

    private KilnControlPlane kcp() {
        return env.client().resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CLUSTER).get();
    }

    /** As {@code kubectl patch --type merge}: no resourceVersion, so the operator's own writes meanwhile cannot refuse it. */
    private void setTarget(String version, String image) {
        env.client().resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CLUSTER)
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(
                        Map.of("spec", Map.of("version", version, "releaseImage", image))));
    }

    private void awaitKcp(String what, java.util.function.Predicate<KilnControlPlane> done) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        KilnControlPlane last = null;
        while (System.nanoTime() < deadline) {
            assertTrue(env.operator().isAlive(), "the operator exited; see " + env.operator().log());
            last = kcp();
            if (last != null && done.test(last)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting for " + what + "; last decision: "
                + (last == null || last.getStatus() == null ? "none" : last.getStatus().getLastDecision())
                + "; see " + env.operator().log());
    }

    /** The operator's decision log: one Event per machine it asked to upgrade to {@code version}. */
    private List<String> upgradeEvents(String version) {
        return env.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> CLUSTER.equals(e.getInvolvedObject().getName()))
                .map(Event::getMessage)
                .filter(m -> m.startsWith("Upgrade: upgrading machine ") && m.contains(" to " + version + " "))
                .toList();
    }

    /** Puts a new key every 50 ms through etcdctl; keeps the keys etcd acknowledged and the gaps between acks. */
    private final class Writer implements Runnable {
        final List<String> endpoints;
        final List<String> acked = new CopyOnWriteArrayList<>();
        final List<Long> ackNanos = new CopyOnWriteArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        int failures;

        Writer(List<String> endpoints) {
            this.endpoints = endpoints;
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            for (int i = 0; !stop.get(); i++) {
                String key = KEYS + String.format("%06d", i);
                try {
                    etcdctl.put(endpoints, key, "v" + i);
                    acked.add(key);
                    ackNanos.add(System.nanoTime());
                } catch (RuntimeException e) {
                    failures++;
                }
                next += TimeUnit.MILLISECONDS.toNanos(50);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        void awaitAcks(int count) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (acked.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(acked.size() >= count, "the writer got " + acked.size() + " acknowledgements, wanted " + count);
        }

        void printFigures() {
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < ackNanos.size(); i++) {
                gaps.add(ackNanos.get(i) - ackNanos.get(i - 1));
            }
            gaps.sort(Long::compare);
            System.out.printf("FIGURE rolling-upgrade write-stall min %.0f ms median %.0f ms max %.0f ms "
                    + "(%d acked, %d failed puts)%n", gaps.get(0) / 1e6, gaps.get(gaps.size() / 2) / 1e6,
                    gaps.get(gaps.size() - 1) / 1e6, acked.size(), failures);
        }
    }

    /** One look at every node: its version and its etcd status, or that it did not answer. */
    record NodeSample(boolean answered, String running, boolean trial, boolean healthy, long leaderId,
            String problem) {
        boolean settled() {
            return answered && !trial && healthy;
        }
    }

    /** Looks at every node through the machine API four times a second, from outside the operator. */
    private final class Sampler implements Runnable {
        final List<Map<String, NodeSample>> samples = new CopyOnWriteArrayList<>();
        final List<Long> sampleNanos = new CopyOnWriteArrayList<>();
        /** The operator's last decision as each sample was taken. */
        final List<String> decisions = new CopyOnWriteArrayList<>();
        final List<Long> leaders = new ArrayList<>();
        final AtomicBoolean stop = new AtomicBoolean();
        /** The first sample taken once the target was about to be set; the checks look from there on. */
        volatile int rolloutStart;

        @Override
        public void run() {
            while (!stop.get()) {
                Map<String, NodeSample> sample = new LinkedHashMap<>();
                for (Machines.Machine machine : controlPlane()) {
                    sample.put(machine.name(), look(machine));
                }
                samples.add(sample);
                sampleNanos.add(System.nanoTime());
                KilnControlPlane cp = kcp();
                decisions.add(cp == null || cp.getStatus() == null ? "" : cp.getStatus().getLastDecision());
                sample.values().stream().filter(NodeSample::settled).map(NodeSample::leaderId).findFirst()
                        .filter(id -> leaders.isEmpty() || !leaders.get(leaders.size() - 1).equals(id))
                        .ifPresent(leaders::add);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private NodeSample look(Machines.Machine machine) {
            try (NodeApi api = connector.connect(machine.endpoint(), admin)) {
                NodeApi.NodeVersion version = api.version();
                NodeApi.EtcdHealth health = api.etcdStatus();
                return new NodeSample(true, version.running(), version.trial(), health.healthy(), health.leaderId(),
                        String.join("; ", health.errors()));
            } catch (RuntimeException e) {
                return new NodeSample(false, "", false, false, 0, e.getMessage());
            }
        }

        void startRolloutOnceAllSettled() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (samples.isEmpty() || !samples.get(samples.size() - 1).values().stream().allMatch(
                    NodeSample::settled)) {
                assertTrue(System.nanoTime() < deadline, "the nodes never all looked settled before the rollout: "
                        + (samples.isEmpty() ? "no sample" : samples.get(samples.size() - 1)));
                Thread.sleep(100);
            }
            rolloutStart = samples.size() - 1;
        }

        int leaderChanges() {
            return Math.max(0, leaders.size() - 1);
        }

        /** Samples in which two or more machines were down, on trial or not healthy in etcd at once. */
        List<String> overlaps() {
            List<String> overlaps = new ArrayList<>();
            for (int i = rolloutStart; i < samples.size(); i++) {
                if (samples.get(i).values().stream().filter(n -> !n.settled()).count() > 1) {
                    overlaps.add(String.format("at %.1f s: %s; operator: %s", (sampleNanos.get(i)
                            - sampleNanos.get(rolloutStart)) / 1e9, samples.get(i), decisions.get(i)));
                }
            }
            return overlaps;
        }

        /** Per node: from its first unsettled sample to its first settled sample on the new version. */
        void printUpgradeTimes() {
            for (Machines.Machine machine : controlPlane()) {
                Long down = null;
                for (int i = rolloutStart; i < samples.size(); i++) {
                    NodeSample node = samples.get(i).get(machine.name());
                    if (down == null && !node.settled()) {
                        down = sampleNanos.get(i);
                    } else if (down != null && node.settled() && node.running().equals(v2.version())) {
                        System.out.printf("FIGURE rolling-upgrade node %s %.1f s%n", machine.name(),
                                (sampleNanos.get(i) - down) / 1e9);
                        break;
                    }
                }
            }
        }
    }
}
