package dev.kiln.capi.etcd;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.ServerRef;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.core.v1beta1.ApiEndpoint;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineSpec;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import dev.kiln.capi.node.InMemoryNodes;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.testing.OperatorHarness;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Cluster API objects on the CRUD mock server plus in-memory nodes, as the cluster etcd reconciler sees them: a
 * Cluster with its secrets bundle, control-plane Machines with KilnMachines (serverRef, ready) and KilnServers
 * (address), and a configured node per server whose hostname is the Machine name.
 */
public final class EtcdTestBed implements AutoCloseable {

    public static final String NS = "default";
    static final String ENDPOINT_HOST = "10.0.0.100";
    static final int ENDPOINT_PORT = 6443;
    static final String FINGERPRINT = "ab".repeat(32);
    static final String CAPI_FINALIZER = "machine.cluster.x-k8s.io";

    /** Counts the metrics the reconciler reports. */
    static final class RecordingMetrics implements KilnMetrics {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void bootstrapCalled(String cluster) {
            seen.add("bootstrapCalled " + cluster);
        }

        @Override
        public void memberRemoved(String cluster, String reason) {
            seen.add("memberRemoved " + cluster + " " + reason);
        }
    }

    final KubernetesClient client;
    public final InMemoryNodes nodes = new InMemoryNodes();
    final RecordingMetrics metrics = new RecordingMetrics();
    private NodeConnector connector = nodes;
    private final List<OperatorHarness> operators = new ArrayList<>();

    public EtcdTestBed(KubernetesClient client) {
        this.client = client;
    }

    /** Lets a test route some addresses to other in-memory nodes (a second, independent etcd). */
    void routeNodes(NodeConnector routed) {
        connector = routed;
    }

    /** A Cluster made by KilnControlPlane, with its endpoint set and its secrets bundle written. */
    public Cluster cluster(String name) {
        return cluster(name, spec -> spec.setControlPlaneRef(new ObjectReference(
                "controlplane.cluster.x-k8s.io/v1alpha1", "KilnControlPlane", name, NS)));
    }

    Cluster cluster(String name, Consumer<Cluster.Spec> customize) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        Cluster.Spec spec = new Cluster.Spec();
        ApiEndpoint endpoint = new ApiEndpoint();
        endpoint.setHost(ENDPOINT_HOST);
        endpoint.setPort(ENDPOINT_PORT);
        spec.setControlPlaneEndpoint(endpoint);
        spec.setInfrastructureRef(new ObjectReference(KilnCluster.GROUP + "/" + KilnCluster.VERSION, "KilnCluster",
                name, NS));
        customize.accept(spec);
        cluster.setSpec(spec);
        Cluster created = client.resource(cluster).create();
        ClusterSecrets.loadOrCreate(client, created);
        return created;
    }

    /** A Cluster of another control-plane provider, its control-plane Machines bootstrapped by KubeadmConfigs. */
    Cluster foreignCluster(String name, List<String> finalizers, int controlPlaneMachines) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS)
                .withFinalizers(finalizers).build());
        Cluster.Spec spec = new Cluster.Spec();
        spec.setControlPlaneRef(new ObjectReference("controlplane.cluster.x-k8s.io/v1beta1", "KubeadmControlPlane",
                name, NS));
        cluster.setSpec(spec);
        Cluster created = client.resource(cluster).create();
        for (int i = 0; i < controlPlaneMachines; i++) {
            Machine machine = new Machine();
            ObjectMeta meta = meta(name + "-cp-" + i, name);
            meta.getLabels().put(Machine.CONTROL_PLANE_LABEL, "");
            machine.setMetadata(meta);
            MachineSpec machineSpec = new MachineSpec();
            machineSpec.setClusterName(name);
            MachineSpec.Bootstrap bootstrap = new MachineSpec.Bootstrap();
            bootstrap.setConfigRef(new ObjectReference("bootstrap.cluster.x-k8s.io/v1beta1", "KubeadmConfig",
                    name + "-cp-" + i, NS));
            machineSpec.setBootstrap(bootstrap);
            machine.setSpec(machineSpec);
            client.resource(machine).create();
        }
        return created;
    }

    Cluster clusterWithoutSecrets(String name) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        cluster.setSpec(new Cluster.Spec());
        return client.resource(cluster).create();
    }

    SecretsBundle bundle(Cluster cluster) {
        return ClusterSecrets.load(client, NS, cluster.getMetadata().getName()).orElseThrow();
    }

    /** A ready control-plane Machine holding Kiln's etcd hook, its KilnMachine and KilnServer, and a configured node. */
    public Machine controlPlaneMachine(Cluster cluster, String name, String address) {
        return controlPlaneMachine(cluster, name, address, nodes, machine -> { });
    }

    Machine controlPlaneMachine(Cluster cluster, String name, String address, InMemoryNodes on,
            Consumer<Machine> customize) {
        String clusterName = cluster.getMetadata().getName();
        on.add(address, FINGERPRINT);
        try (var api = on.connect(address, new NodeCredentials.Maintenance(FINGERPRINT))) {
            api.applyConfiguration(("version: v1alpha1\nmachine:\n  type: controlplane\n  network:\n    hostname: "
                    + name + "\n").getBytes(StandardCharsets.UTF_8));
        }
        KilnServer server = new KilnServer();
        server.setMetadata(meta("server-" + name, clusterName));
        server.setSpec(new KilnServerSpec(address, FINGERPRINT));
        client.resource(server).create();

        KilnMachine kilnMachine = new KilnMachine();
        kilnMachine.setMetadata(meta(name, clusterName));
        kilnMachine.setSpec(new KilnMachineSpec());
        KilnMachineStatus status = new KilnMachineStatus();
        status.setServerRef(new ServerRef("server-" + name));
        status.setReady(true);
        kilnMachine.setStatus(status);
        client.resource(kilnMachine).create();

        Machine machine = new Machine();
        ObjectMeta meta = meta(name, clusterName);
        meta.getLabels().put(Machine.CONTROL_PLANE_LABEL, "");
        meta.setAnnotations(new HashMap<>(Map.of(KilnLabels.ETCD_HOOK, KilnLabels.HOOK_OWNER)));
        machine.setMetadata(meta);
        MachineSpec spec = new MachineSpec();
        spec.setClusterName(clusterName);
        spec.setInfrastructureRef(new ObjectReference(KilnCluster.GROUP + "/" + KilnCluster.VERSION, "KilnMachine",
                name, NS));
        MachineSpec.Bootstrap bootstrap = new MachineSpec.Bootstrap();
        bootstrap.setConfigRef(new ObjectReference(KilnConfig.GROUP + "/v1alpha1", "KilnConfig", name, NS));
        spec.setBootstrap(bootstrap);
        machine.setSpec(spec);
        customize.accept(machine);
        return client.resource(machine).create();
    }

    private static ObjectMeta meta(String name, String cluster) {
        return new ObjectMetaBuilder().withName(name).withNamespace(NS)
                .withLabels(new HashMap<>(KilnLabels.forCluster(cluster))).build();
    }

    public ReconcilerDependencies dependencies(String identity, Clock clock) {
        return new ReconcilerDependencies(client, connector, metrics, identity, clock);
    }

    ClusterEtcdReconciler reconciler(String identity) {
        return reconciler(identity, Clock.systemUTC());
    }

    ClusterEtcdReconciler reconciler(String identity, Clock clock) {
        return new ClusterEtcdReconciler(dependencies(identity, clock), BootstrapFaults.NONE);
    }

    public OperatorHarness startOperator(String identity) {
        return startOperator(identity, Clock.systemUTC(), BootstrapFaults.NONE);
    }

    OperatorHarness startOperator(String identity, Clock clock, BootstrapFaults faults) {
        OperatorHarness harness = OperatorHarness.start(client,
                List.of(new ClusterEtcdReconciler(dependencies(identity, clock), faults)));
        operators.add(harness);
        return harness;
    }

    /** One reconcile pass on the Cluster as the API serves it now, without JOSDK: for tests about single passes. */
    void pass(ClusterEtcdReconciler reconciler, Cluster cluster) {
        reconciler.pass(current(cluster));
    }

    Cluster current(Cluster cluster) {
        return client.resources(Cluster.class).inNamespace(NS).withName(cluster.getMetadata().getName()).get();
    }

    ConfigMap record(Cluster cluster) {
        return client.configMaps().inNamespace(NS)
                .withName(KilnLabels.bootstrapRecordName(cluster.getMetadata().getName())).get();
    }

    public ConfigMap awaitCompletedRecord(Cluster cluster) throws InterruptedException {
        eventually("bootstrap record of " + cluster.getMetadata().getName() + " completed", () -> {
            ConfigMap record = record(cluster);
            return record != null && "true".equals(record.getData().get("completed"));
        });
        return record(cluster);
    }

    Secret awaitSecret(String name) throws InterruptedException {
        eventually("Secret " + name, () -> client.secrets().inNamespace(NS).withName(name).get() != null);
        return client.secrets().inNamespace(NS).withName(name).get();
    }

    Machine machine(String name) {
        return client.resources(Machine.class).inNamespace(NS).withName(name).get();
    }

    List<Event> events(Cluster cluster, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> "Cluster".equals(e.getInvolvedObject().getKind())
                        && cluster.getMetadata().getName().equals(e.getInvolvedObject().getName())
                        && (reason == null || reason.equals(e.getReason())))
                .toList();
    }

    /** Joins and promotes control-plane nodes until etcd has {@code voters} voting members and no learner. */
    public void settleTo(int voters) {
        for (int i = 0; i < 4 * voters && (nodes.memberIds().size() < voters || nodes.learnerCount() > 0); i++) {
            nodes.settle();
        }
        if (nodes.memberIds().size() != voters || nodes.learnerCount() != 0) {
            throw new AssertionError("etcd did not settle to " + voters + " voters: " + nodes.memberIds());
        }
    }

    public static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        eventually(what, condition, Duration.ofSeconds(20));
    }

    static void eventually(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what.get());
    }

    public static void eventually(String what, BooleanSupplier condition, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    @Override
    public void close() {
        operators.forEach(OperatorHarness::close);
    }
}
