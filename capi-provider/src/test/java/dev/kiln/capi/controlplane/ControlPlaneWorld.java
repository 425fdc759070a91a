package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.bootstrap.v1alpha1.GenerateType;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.common.ContractVersionedRef;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplateSpec;
import dev.kiln.capi.api.controlplane.v1alpha1.RollingUpdate;
import dev.kiln.capi.api.controlplane.v1alpha1.RolloutStrategy;
import dev.kiln.capi.api.controlplane.v1alpha1.RolloutStrategyType;
import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplateResource;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplateSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.ServerRef;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.node.InMemoryNodes;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One workload cluster for KilnControlPlane tests: the reconciler under test running in JOSDK on the CRUD mock, and
 * test stand-ins for everything else, each a step the test runs explicitly or through {@link #simulate()}:
 * the KilnMachine reconciler ({@link #provision}), the cluster etcd reconciler ({@link #bootstrap},
 * {@link #completeBootstrapRecord}, member removal for deleting Machines) and Cluster API core (Machine finalizer
 * and hook handling). Nodes are {@link InMemoryNodes}.
 */
final class ControlPlaneWorld implements AutoCloseable {

    static final String NAMESPACE = "default";
    static final String CLUSTER = "c1";
    static final String CONTROL_PLANE = "cp";
    static final String TEMPLATE = "cp-template";
    static final String VERSION = "v1.31.0";
    /** What Cluster API core puts on every Machine; it lets the test see a Machine while it is being deleted. */
    static final String CAPI_FINALIZER = "machine.cluster.x-k8s.io";
    /** Reconciler passes happen at least this often in tests. */
    static final Duration RESYNC = Duration.ofMillis(100);

    final KubernetesClient client;
    final InMemoryNodes nodes = new InMemoryNodes();
    final Cluster cluster;
    final NodeCredentials admin;
    private final Map<String, String> addressByMachine = new HashMap<>();
    private final BootstrapRecordStore records;
    private final List<Integer> liveCounts = new ArrayList<>();
    private final List<String> deletionOrder = new ArrayList<>();
    private final java.util.Set<String> seenLive = new java.util.LinkedHashSet<>();
    private OperatorHarness harness;
    private int servers;
    /** Provision a Machine only once the clock has left the second it was created in, so "oldest" is unambiguous. */
    boolean spreadCreationSeconds;

    private ControlPlaneWorld(KubernetesClient client) {
        this.client = client;
        this.cluster = client.resource(cluster()).create();
        this.admin = new NodeCredentials.ClusterAdmin(ClusterSecrets.loadOrCreate(client, cluster));
        this.records = new BootstrapRecordStore(client, "test-etcd-reconciler", Clock.systemUTC());
        client.resource(template(TEMPLATE)).create();
    }

    static ControlPlaneWorld create(KubernetesClient client) {
        return new ControlPlaneWorld(client);
    }

    /** Starts the reconciler; {@code wrap} lets a test watch the machine API calls it makes. */
    ControlPlaneWorld start(Function<NodeConnector, NodeConnector> wrap) {
        return start(wrap, RESYNC);
    }

    /** Starts the reconciler with a resync so long that only events can wake it within a test. */
    ControlPlaneWorld startWithoutResync() {
        return start(Function.identity(), Duration.ofHours(1));
    }

    private ControlPlaneWorld start(Function<NodeConnector, NodeConnector> wrap, Duration resync) {
        var deps = new ReconcilerDependencies(client, wrap.apply(nodes), KilnMetrics.NONE, "test-operator",
                Clock.systemUTC());
        harness = OperatorHarness.start(client, List.of(new KilnControlPlaneReconciler(deps, resync)));
        return this;
    }

    ControlPlaneWorld start() {
        return start(Function.identity());
    }

    @Override
    public void close() {
        if (harness != null) {
            harness.close();
        }
    }

    // ---- objects

    private static Cluster cluster() {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(CLUSTER).withNamespace(NAMESPACE).build());
        cluster.setSpec(new Cluster.Spec());
        return cluster;
    }

    static KilnMachineTemplate template(String name) {
        KilnMachineSpec machineSpec = new KilnMachineSpec();
        machineSpec.setServerSelector(new LabelSelectorBuilder().addToMatchLabels("role", "control-plane").build());
        KilnMachineTemplateResource resource = new KilnMachineTemplateResource();
        resource.setSpec(machineSpec);
        TemplateMetadata metadata = new TemplateMetadata();
        metadata.setLabels(Map.of("hardware", "bare-metal", "team", "infra"));
        resource.setMetadata(metadata);
        KilnMachineTemplateSpec spec = new KilnMachineTemplateSpec();
        spec.setTemplate(resource);
        KilnMachineTemplate template = new KilnMachineTemplate();
        template.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
        template.setSpec(spec);
        return template;
    }

    /** A KilnControlPlane owned by the Cluster, its template labelled, with a control-plane config patch. */
    KilnControlPlane createControlPlane(int replicas) {
        return createControlPlane(replicas, new ContractVersionedRef(KilnCluster.GROUP, "KilnMachineTemplate",
                TEMPLATE));
    }

    KilnControlPlane createControlPlane(int replicas, ContractVersionedRef infrastructureRef) {
        return createControlPlane(replicas, infrastructureRef, true);
    }

    /** A control plane created before its Cluster adopted it: no cluster-name label, no owner. */
    KilnControlPlane createUnadoptedControlPlane(int replicas) {
        return createControlPlane(replicas, new ContractVersionedRef(KilnCluster.GROUP, "KilnMachineTemplate",
                TEMPLATE), false);
    }

    private KilnControlPlane createControlPlane(int replicas, ContractVersionedRef infrastructureRef,
            boolean adopted) {
        TemplateMetadata metadata = new TemplateMetadata();
        metadata.setLabels(Map.of("team", "platform"));
        MachineTemplate machineTemplate = new MachineTemplate();
        machineTemplate.setMetadata(metadata);
        MachineTemplateSpec machineSpec = new MachineTemplateSpec();
        machineSpec.setInfrastructureRef(infrastructureRef);
        machineTemplate.setSpec(machineSpec);
        KilnConfigSpec config = new KilnConfigSpec();
        config.setStrategicPatches(List.of("machine:\n  install:\n    disk: /dev/vda\n"));
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(replicas);
        spec.setVersion(VERSION);
        spec.setMachineTemplate(machineTemplate);
        spec.setControlPlaneConfig(config);
        KilnControlPlane controlPlane = new KilnControlPlane();
        controlPlane.setMetadata(adopted ? new ObjectMetaBuilder().withName(CONTROL_PLANE).withNamespace(NAMESPACE)
                .withLabels(KilnLabels.forCluster(CLUSTER))
                .withOwnerReferences(KilnLabels.ownedBy(cluster, false))
                .build() : new ObjectMetaBuilder().withName(CONTROL_PLANE).withNamespace(NAMESPACE).build());
        controlPlane.setSpec(spec);
        return client.resource(controlPlane).create();
    }

    /** As Cluster API's reconcileExternal adopts a control plane created before it: label and owner only. */
    void adoptByCluster() {
        retryOnConflict(() -> client.resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CONTROL_PLANE)
                .edit(cp -> {
                    cp.getMetadata().setLabels(KilnLabels.forCluster(CLUSTER));
                    cp.getMetadata().setOwnerReferences(List.of(KilnLabels.ownedBy(cluster, false)));
                    return cp;
                }));
    }

    KilnControlPlane controlPlane() {
        return client.resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CONTROL_PLANE).get();
    }

    void editSpec(java.util.function.Consumer<KilnControlPlaneSpec> change) {
        retryOnConflict(() -> client.resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CONTROL_PLANE)
                .edit(cp -> {
                    change.accept(cp.getSpec());
                    return cp;
                }));
    }

    /** The reconciler writes status concurrently, so a read-modify-write may meet a newer resourceVersion. */
    static void retryOnConflict(Runnable edit) {
        for (int attempt = 1; ; attempt++) {
            try {
                edit.run();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    void setReplicas(int replicas) {
        editSpec(spec -> spec.setReplicas(replicas));
    }

    void setPaused(boolean paused) {
        retryOnConflict(() -> client.resources(Cluster.class).inNamespace(NAMESPACE).withName(CLUSTER).edit(c -> {
            c.getSpec().setPaused(paused);
            return c;
        }));
    }

    /** What Cluster API core does with the infrastructure cluster's failure domains: name to controlPlane. */
    void setFailureDomains(Map<String, Boolean> controlPlaneByName) {
        Map<String, Cluster.FailureDomainSpec> domains = new HashMap<>();
        controlPlaneByName.forEach((name, controlPlane) -> {
            Cluster.FailureDomainSpec spec = new Cluster.FailureDomainSpec();
            spec.setControlPlane(controlPlane);
            domains.put(name, spec);
        });
        retryOnConflict(() -> client.resources(Cluster.class).inNamespace(NAMESPACE).withName(CLUSTER).edit(c -> {
            if (c.getStatus() == null) {
                c.setStatus(new Cluster.Status());
            }
            c.getStatus().setFailureDomains(domains);
            return c;
        }));
    }

    void setMaxSurge(int maxSurge) {
        editSpec(spec -> {
            RollingUpdate rollingUpdate = new RollingUpdate();
            rollingUpdate.setMaxSurge(maxSurge);
            RolloutStrategy strategy = new RolloutStrategy();
            strategy.setType(RolloutStrategyType.ROLLING_UPDATE);
            strategy.setRollingUpdate(rollingUpdate);
            spec.setRolloutStrategy(strategy);
        });
    }

    /** Every control-plane Machine of the cluster, oldest first. */
    List<Machine> machines() {
        return client.resources(Machine.class).inNamespace(NAMESPACE).withLabel(KilnLabels.CLUSTER_NAME, CLUSTER)
                .withLabel(Machine.CONTROL_PLANE_LABEL).list().getItems().stream()
                .sorted(Comparator.comparing((Machine m) -> m.getMetadata().getCreationTimestamp())
                        .thenComparing(m -> m.getMetadata().getName()))
                .toList();
    }

    List<Machine> liveMachines() {
        return machines().stream().filter(m -> !m.isDeleting()).toList();
    }

    List<String> liveMachineNames() {
        return liveMachines().stream().map(m -> m.getMetadata().getName()).toList();
    }

    Machine machine(String name) {
        return client.resources(Machine.class).inNamespace(NAMESPACE).withName(name).get();
    }

    void editMachine(String name, java.util.function.UnaryOperator<Machine> change) {
        retryOnConflict(() -> client.resources(Machine.class).inNamespace(NAMESPACE).withName(name).edit(change));
    }

    List<Event> events(String reason) {
        return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> CONTROL_PLANE.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .toList();
    }

    // ---- stand-ins for the other reconcilers

    /** KilnMachine reconciler stand-in: a server with a node, the node configured, the KilnMachine ready. */
    boolean provision(Machine machine) {
        String name = machine.getMetadata().getName();
        KilnMachine kilnMachine = client.resources(KilnMachine.class).inNamespace(NAMESPACE).withName(name).get();
        if (kilnMachine == null || addressByMachine.containsKey(name)) {
            return false;
        }
        servers++;
        String address = "10.0.0." + servers;
        String fingerprint = "fp-" + servers;
        nodes.add(address, fingerprint);
        KilnServer server = new KilnServer();
        server.setMetadata(new ObjectMetaBuilder().withName("server-" + servers).withNamespace(NAMESPACE).build());
        server.setSpec(new KilnServerSpec(address, null));
        client.resource(server).create();
        try (NodeApi api = nodes.connect(address, new NodeCredentials.Maintenance(fingerprint))) {
            api.applyConfiguration(("version: v1alpha1\nmachine:\n  type: controlplane\n  network:\n    hostname: "
                    + name + "\n").getBytes(StandardCharsets.UTF_8));
        }
        client.resources(KilnMachine.class).inNamespace(NAMESPACE).withName(name).editStatus(km -> {
            KilnMachineStatus status = new KilnMachineStatus();
            status.setReady(true);
            status.setServerRef(new ServerRef("server-" + servers));
            km.setStatus(status);
            return km;
        });
        // Cluster API core's finalizer: deletion then shows as a deletionTimestamp until the hook is released.
        editMachine(name, m -> {
            m.getMetadata().getFinalizers().add(CAPI_FINALIZER);
            return m;
        });
        addressByMachine.put(name, address);
        return true;
    }

    /** Provisions a machine the test names, waiting for the reconciler to have created its KilnMachine. */
    void provision(String machineName) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!provision(machine(machineName))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no KilnMachine " + machineName + " to provision");
            }
            Thread.sleep(20);
        }
    }

    /** Cluster etcd reconciler stand-in, first half: etcd bootstrapped once, on this machine's node. */
    void bootstrap(String machineName) {
        try (NodeApi api = nodes.connect(addressByMachine.get(machineName), admin)) {
            api.bootstrap();
        }
    }

    BootstrapRecordStore.Record claimBootstrapRecord(String machineName) {
        var claim = records.claim(cluster, machineName);
        if (claim instanceof BootstrapRecordStore.Claim.Created created) {
            return created.record();
        }
        if (claim instanceof BootstrapRecordStore.Claim.Held held) {
            return held.record();
        }
        throw new AssertionError("bootstrap record held by another: " + claim);
    }

    void completeBootstrapRecord(BootstrapRecordStore.Record record) {
        records.complete(cluster, record, "c1");
    }

    void completeBootstrapRecord(String machineName) {
        completeBootstrapRecord(claimBootstrapRecord(machineName));
    }

    Optional<BootstrapRecordStore.Record> bootstrapRecord() {
        return records.read(cluster);
    }

    String address(String machineName) {
        return addressByMachine.get(machineName);
    }

    Long memberId(String machineName) {
        String address = addressByMachine.get(machineName);
        return address == null ? null : nodes.node(address).memberId();
    }

    /**
     * One step of everything that is not the reconciler under test: provision new machines, bootstrap the first
     * once, let a joining member catch up (one etcd change per step), and let deleting Machines leave etcd and go.
     */
    void simulate() {
        for (Machine machine : machines()) {
            String name = machine.getMetadata().getName();
            if (machine.isDeleting()) {
                finishDeletion(machine);
            } else if (!addressByMachine.containsKey(name) && oldEnough(machine)) {
                provision(machine);
            }
        }
        if (bootstrapRecord().isEmpty()) {
            liveMachines().stream().map(m -> m.getMetadata().getName()).filter(addressByMachine::containsKey)
                    .findFirst().ifPresent(first -> {
                        bootstrap(first);
                        completeBootstrapRecord(first);
                    });
        }
        nodes.settle();
        noteLiveMachines();
    }

    private void noteLiveMachines() {
        List<String> live = liveMachineNames();
        for (String name : List.copyOf(seenLive)) {
            if (!live.contains(name)) {
                deletionOrder.add(name);
                seenLive.remove(name);
            }
        }
        seenLive.addAll(live);
        liveCounts.add(live.size());
    }

    /** Machines in the order they started being deleted, as seen by {@link #simulate()}. */
    List<String> deletionOrder() {
        return List.copyOf(deletionOrder);
    }

    private boolean oldEnough(Machine machine) {
        if (!spreadCreationSeconds) {
            return true;
        }
        Instant created = Instant.parse(machine.getMetadata().getCreationTimestamp());
        return !Instant.now().isBefore(created.plusSeconds(1));
    }

    /** etcd reconciler: the member leaves, then the hook goes. Cluster API core: the finalizer goes, so the Machine. */
    private void finishDeletion(Machine machine) {
        String name = machine.getMetadata().getName();
        Long member = memberId(name);
        if (member != null) {
            String other = liveMachineNames().stream().filter(n -> memberId(n) != null).findFirst().orElseThrow();
            try (NodeApi api = nodes.connect(addressByMachine.get(other), admin)) {
                api.removeMember(member);
            }
            // KilnMachine finalizer stand-in: the node is wiped, so it cannot rejoin.
            try (NodeApi api = nodes.connect(addressByMachine.get(name), admin)) {
                api.reset(false);
            }
            return;
        }
        editMachine(name, m -> {
            m.getMetadata().getAnnotations().remove(KilnLabels.ETCD_HOOK);
            m.getMetadata().getFinalizers().remove(CAPI_FINALIZER);
            return m;
        });
    }

    /** Runs {@link #simulate()} until {@code done}; fails naming {@code what} and the last status. */
    void runUntil(String what, BooleanSupplier done) throws InterruptedException {
        runUntil(what, done, Duration.ofSeconds(30));
    }

    void runUntil(String what, BooleanSupplier done, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            simulate();
            if (done.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; machines " + liveMachineNames()
                + "; status " + Optional.ofNullable(controlPlane().getStatus()).map(s -> s.getLastDecision()
                        + " " + s.getConditions()).orElse("none"));
    }

    /** Live machine counts seen after each simulated step, for checking how far a change went at once. */
    List<Integer> liveCounts() {
        return List.copyOf(liveCounts);
    }

    /** The control plane has the given number of live machines, all provisioned voters, and says it is resized. */
    boolean settledAt(int replicas) {
        KilnControlPlane cp = controlPlane();
        return liveMachines().size() == replicas && machines().size() == replicas
                && nodes.memberIds().size() == replicas && nodes.learnerCount() == 0
                && cp.getStatus() != null && cp.getStatus().getLastDecision() != null
                && cp.getStatus().getLastDecision().startsWith("Steady")
                && Integer.valueOf(replicas).equals(cp.getStatus().getReadyReplicas());
    }

    /** Grows the control plane to {@code replicas} through the reconciler. */
    void growTo(int replicas) throws InterruptedException {
        runUntil(replicas + " settled machines", () -> settledAt(replicas), Duration.ofSeconds(60));
    }

    /** Waits for the reconciler to record a decision matching {@code which}. */
    KilnControlPlane awaitDecision(String what, Predicate<String> which) throws InterruptedException {
        return harnessAwait(what, cp -> cp.getStatus() != null && cp.getStatus().getLastDecision() != null
                && which.test(cp.getStatus().getLastDecision()));
    }

    KilnControlPlane harnessAwait(String what, Predicate<KilnControlPlane> condition) throws InterruptedException {
        return harness.await(KilnControlPlane.class, NAMESPACE, CONTROL_PLANE, what, condition);
    }

    /** Waits, without simulating anything, until the Machines satisfy {@code condition}. */
    List<Machine> awaitMachines(String what, Predicate<List<Machine>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<Machine> machines = machines();
            if (condition.test(machines)) {
                return machines;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for machines: " + what + "; machines " + liveMachineNames()
                + "; status " + Optional.ofNullable(controlPlane().getStatus()).map(s -> s.getLastDecision())
                        .orElse("none"));
    }

    /** Gives the reconciler several passes to do something it must not do. */
    static void letSeveralPassesRun() throws InterruptedException {
        Thread.sleep(RESYNC.toMillis() * 8);
    }
}
