package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.bootstrap.v1alpha1.ConfigPatch;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import dev.kiln.capi.api.bootstrap.v1alpha1.PatchOp;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.HasConditions;
import dev.kiln.capi.api.common.ContractVersionedRef;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.client.RetryPolicy;
import dev.kiln.testenv.capi.MachineSet;
import dev.kiln.testenv.kstatus.Kstatus;
import dev.kiln.testenv.kstatus.Kstatus.Status;
import dev.kiln.testenv.kstatus.KstatusAwait;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Scenarios 8, 10 and 9 of the end-to-end suite, on one cluster formed from examples/ (3 control-plane nodes and 2
 * workers on real node-init and etcd, machines on 127.0.53.1-5): an even replica count is refused and changes
 * nothing; bad manifests get a condition naming the field and leave the machines alone; deleting the Cluster wipes
 * every node back to maintenance mode and leaves no Kiln object behind. Deletion runs last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterChangesAndDeletionScenarioTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/scenarios/changes-and-deletion").toAbsolutePath();
    private static final String NS = LocalEnvironment.NAMESPACE;
    private static final String CLUSTER = Demo.CLUSTER;
    /** How long "nothing changes" is watched: several passes of every reconciler (the slowest resyncs every 10 s). */
    private static final Duration SETTLE = Duration.ofSeconds(15);
    /** Generous: several end-to-end tests share two cores. A condition normally shows within a few seconds. */
    private static final Duration CONDITION_WITHIN = Duration.ofSeconds(120);

    private LocalEnvironment env;
    private KubernetesClient client;
    private ClusterSnapshot formed;
    private final PeakRssWatch rss = new PeakRssWatch();

    @BeforeAll
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void formTheExampleCluster() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/etcd")),
                "etcd is not installed: apt-get install -y etcd-server etcd-client");
        Demo.deleteTree(WORK);
        Files.createDirectories(WORK);
        env = LocalEnvironment.start(REPO, WORK, "127.0.53", 5,
                i -> Map.of("role", i <= 3 ? "controlplane" : "worker"), Map.of());
        client = env.client();
        rss.watchOperator("operator", env.operator());
        rss.watchMachines(env.machines());
        long start = System.nanoTime();
        Manifests.createAll(client, REPO.resolve("examples"));
        Demo.Formed cluster = Demo.awaitFormed(env, Duration.ofSeconds(300));
        assertNotNull(cluster, "the cluster did not form; see " + env.operator().log() + " and "
                + WORK.resolve("machines"));
        figure("formation (examples/ applied to 5 Machines Running and 3 healthy etcd voters)", start);
        KstatusAwait.awaitClusterCurrent(client, NS, CLUSTER, CONDITION_WITHIN);
        formed = ClusterSnapshot.take(env);
        assertEquals(5, formed.machines().size(), formed.toString());
        assertEquals(3, formed.members().size(), formed.toString());
    }

    @AfterAll
    void stopEverything() {
        if (env != null) {
            Figures.peakRss("changes-and-deletion", rss);
            rss.close();
            env.close();
        }
    }

    // ---- scenario 8

    @Test
    @Order(1)
    @Timeout(value = 420, unit = TimeUnit.SECONDS)
    void evenReplicasAreRefusedWithAConditionNamingSpecReplicasAndNothingChanges() throws Exception {
        long start = System.nanoTime();

        long generation = editControlPlane(spec -> spec.setReplicas(2));
        Condition refused = awaitResized(generation, "EvenReplicas");
        assertTrue(refused.getMessage().startsWith("spec.replicas: replicas 2 is even"), refused.getMessage());
        assertStalled(KilnControlPlane.class, CLUSTER, "EvenReplicas");
        assertNothingChangesFor(SETTLE);

        // kubectl scale goes through the scale subresource: the same refusal
        client.resources(KilnControlPlane.class).inNamespace(NS).withName(CLUSTER).scale(4);
        long scaledGeneration = controlPlane().getMetadata().getGeneration();
        assertTrue(scaledGeneration > generation, "the scale subresource did not change spec.replicas");
        assertEquals(4, controlPlane().getSpec().getReplicas());
        Condition refusedScale = awaitResized(scaledGeneration, "EvenReplicas");
        assertTrue(refusedScale.getMessage().startsWith("spec.replicas: replicas 4 is even"),
                refusedScale.getMessage());
        assertNothingChangesFor(SETTLE);

        long restored = editControlPlane(spec -> spec.setReplicas(3));
        Condition resized = awaitResized(restored, "AtDesiredReplicas");
        assertEquals(Conditions.TRUE, resized.getStatus(), resized.toString());
        KstatusAwait.await(client, KilnControlPlane.class, NS, CLUSTER, Status.CURRENT, CONDITION_WITHIN);
        assertEquals(formed, ClusterSnapshot.take(env));
        figure("scenario 8 (replicas 2, then 4 through the scale subresource, refused; back to 3)", start);
    }

    // ---- scenario 10

    @Test
    @Order(2)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aKilnConfigWithAnUnknownGenerateTypeIsNamedAtSpecGenerateType() throws Exception {
        long start = System.nanoTime();
        KilnConfigSpec spec = new KilnConfigSpec();
        spec.setGenerateType("bogus");

        Condition ready = awaitInvalidKilnConfig("demo-bogus-type", spec);

        assertEquals("spec.generateType: must be controlplane, worker or none", ready.getMessage());
        assertNothingChangesFor(SETTLE);
        deleteKilnConfig("demo-bogus-type");
        figure("scenario 10: KilnConfig generateType bogus", start);
    }

    @Test
    @Order(3)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aKilnConfigWithAMalformedJsonPatchIsNamedAtItsIndex() throws Exception {
        long start = System.nanoTime();
        KilnConfigSpec spec = new KilnConfigSpec();
        spec.setGenerateType("worker");
        spec.setConfigPatches(List.of(new ConfigPatch(PatchOp.REPLACE, "machine.install.disk",
                Serialization.jsonMapper().valueToTree("/dev/vdb"))));

        Condition ready = awaitInvalidKilnConfig("demo-bad-patch", spec);

        assertTrue(ready.getMessage().startsWith("spec.configPatches[0].path: "), ready.getMessage());
        assertNothingChangesFor(SETTLE);
        deleteKilnConfig("demo-bad-patch");
        figure("scenario 10: KilnConfig malformed RFC 6902 patch", start);
    }

    @Test
    @Order(4)
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void aMalformedStrategicPatchInTheControlPlaneConfigIsNamedAndRollsNothingOut() throws Exception {
        List<String> before = controlPlane().getSpec().getControlPlaneConfig().getStrategicPatches();
        refusedNamingFieldThenRestored("scenario 10: KilnControlPlane malformed strategic patch, then restored",
                spec -> spec.getControlPlaneConfig()
                        .setStrategicPatches(List.of("- a list\n- where a mapping belongs\n")),
                "spec.controlPlaneConfig.strategicPatches[0] ",
                spec -> spec.getControlPlaneConfig().setStrategicPatches(before));
    }

    @Test
    @Order(5)
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void aControlPlaneWithoutInfrastructureRefIsNamedAndKeepsItsMachines() throws Exception {
        ContractVersionedRef ref = controlPlane().getSpec().getMachineTemplate().getSpec().getInfrastructureRef();
        refusedNamingFieldThenRestored("scenario 10: KilnControlPlane without infrastructureRef, then restored",
                spec -> spec.getMachineTemplate().getSpec().setInfrastructureRef(null),
                "spec.machineTemplate.spec.infrastructureRef is not set",
                spec -> spec.getMachineTemplate().getSpec().setInfrastructureRef(ref));
    }

    /**
     * A bad KilnControlPlane spec is refused with InvalidSpec naming the field, nothing changes, and once restored the
     * control plane is at its replicas again with the cluster as formed.
     */
    private void refusedNamingFieldThenRestored(String figure, Consumer<KilnControlPlaneSpec> bad,
            String messagePrefix, Consumer<KilnControlPlaneSpec> restore) throws Exception {
        long start = System.nanoTime();
        Condition refused = awaitResized(editControlPlane(bad), "InvalidSpec");
        assertTrue(refused.getMessage().startsWith(messagePrefix), refused.getMessage());
        assertStalled(KilnControlPlane.class, CLUSTER, "InvalidSpec");
        assertNothingChangesFor(SETTLE);

        awaitResized(editControlPlane(restore), "AtDesiredReplicas");
        KstatusAwait.await(client, KilnControlPlane.class, NS, CLUSTER, Status.CURRENT, CONDITION_WITHIN);
        assertEquals(formed, ClusterSnapshot.take(env));
        figure(figure, start);
    }

    @Test
    @Order(6)
    @Timeout(value = 360, unit = TimeUnit.SECONDS)
    void pausingTheClusterShowsPausedOnEveryKilnObjectAndUnpausingClearsIt() throws Exception {
        long start = System.nanoTime();
        setClusterPaused(true);
        awaitPausedEverywhere("True");
        assertEquals(formed, ClusterSnapshot.take(env));

        setClusterPaused(false);
        awaitPausedEverywhere("False");
        KstatusAwait.awaitClusterCurrent(client, NS, CLUSTER, CONDITION_WITHIN);
        assertEquals(formed, ClusterSnapshot.take(env));
        figure("Cluster paused until every Kiln object says Paused, then unpaused until every one is Current", start);
    }

    /** Paused with that status on the KilnControlPlane, the KilnCluster and each KilnMachine and KilnConfig. */
    private void awaitPausedEverywhere(String status) throws InterruptedException {
        for (Class<? extends HasMetadata> kind : List.of(KilnControlPlane.class, KilnCluster.class)) {
            KstatusAwait.awaitCondition(client, kind, NS, CLUSTER, "Paused", status, CONDITION_WITHIN);
        }
        for (Class<? extends HasMetadata> kind : List.of(KilnMachine.class, KilnConfig.class)) {
            for (String name : namesOfCluster(kind)) {
                KstatusAwait.awaitCondition(client, kind, NS, name, "Paused", status, CONDITION_WITHIN);
            }
        }
    }

    private void setClusterPaused(boolean paused) {
        client.resources(Cluster.class).inNamespace(NS).withName(CLUSTER).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"paused\":" + paused + "}}");
    }

    private List<String> namesOfCluster(Class<? extends HasMetadata> kind) {
        return client.resources(kind).inNamespace(NS).withLabel(Machine.CLUSTER_NAME_LABEL, CLUSTER).list().getItems()
                .stream().map(o -> o.getMetadata().getName()).sorted().toList();
    }

    /** Failed for kstatus (Degraded for Argo CD), with Stalled giving the reason. */
    private void assertStalled(Class<? extends HasMetadata> kind, String name, String reason)
            throws InterruptedException {
        GenericKubernetesResource failed = KstatusAwait.await(client, kind, NS, name, Status.FAILED, CONDITION_WITHIN);
        assertEquals(reason, stalledReason(failed), kind.getSimpleName() + " " + name + ": " + Kstatus.compute(failed));
    }

    private static String stalledReason(GenericKubernetesResource resource) {
        Object status = resource.getAdditionalProperties().get("status");
        List<?> conditions = (List<?>) ((Map<?, ?>) status).get("conditions");
        return conditions.stream().map(c -> (Map<?, ?>) c).filter(c -> "Stalled".equals(c.get("type")))
                .map(c -> (String) c.get("reason")).findFirst().orElse(null);
    }

    // ---- scenario 9

    @Test
    @Order(9)
    @Timeout(value = 480, unit = TimeUnit.SECONDS)
    void deletingTheClusterWipesEveryNodeFreesEveryServerAndLeavesNoKilnObject() throws Exception {
        long start = System.nanoTime();

        client.resources(Cluster.class).inNamespace(NS).withName(CLUSTER).delete();

        await("the Cluster gone", Duration.ofSeconds(360), this::clusterObjectsLeft,
                left -> left.stream().noneMatch(o -> o.startsWith("Cluster ")));
        for (Machines.Machine machine : env.machines().list()) {
            await(machine.name() + " free and clean", Duration.ofSeconds(60),
                    () -> client.resources(KilnServer.class).inNamespace(NS).withName(machine.name()).get(),
                    ClusterChangesAndDeletionScenarioTest::freeAndClean);
        }
        // the stand-in for the API server's garbage collector runs every second
        await("no Kiln Secret or ConfigMap left", Duration.ofSeconds(60), this::leftoverSecretsAndConfigMaps,
                List::isEmpty);
        figure("scenario 9 (Cluster deleted until every server is free and clean and nothing is left)", start);

        for (Machines.Machine machine : env.machines().list()) {
            assertInMaintenanceMode(machine);
            KstatusAwait.await(client, KilnServer.class, NS, machine.name(), Status.CURRENT, CONDITION_WITHIN);
        }
        assertEquals(List.of(), clusterObjectsLeft(), "objects of the deleted cluster left behind");
        assertEquals(List.of(), NeighbourCluster.kilnMarks(client), "Kiln touched the neighbour cluster");
        // Kiln deletes no template. demo-cp carries an owner reference to the Cluster (the KilnControlPlane adds it,
        // as Cluster API's control planes do, so clusterctl move takes it), which a real API server's garbage
        // collector would follow; the stand-in's collector leaves templates alone.
        assertEquals(List.of("demo-cp", "demo-workers"), names(KilnMachineTemplate.class));
        assertEquals(List.of("demo-workers"), names(KilnConfigTemplate.class));
        for (Class<? extends HasMetadata> kind : List.of(KilnServer.class, KilnMachineTemplate.class,
                KilnConfigTemplate.class, Secret.class, ConfigMap.class)) {
            for (HasMetadata object : client.resources(kind).inNamespace(NS).list().getItems()) {
                List<String> finalizers = object.getMetadata().getFinalizers();
                assertTrue(finalizers == null || finalizers.isEmpty(),
                        kind.getSimpleName() + " " + object.getMetadata().getName() + " keeps " + finalizers);
            }
        }
    }

    // ---- the checks

    /** Every few seconds for {@code period}: Machines, servers, claims, etcd members and node configs as formed. */
    private void assertNothingChangesFor(Duration period) throws InterruptedException {
        long deadline = System.nanoTime() + period.toNanos();
        do {
            ClusterSnapshot now = ClusterSnapshot.take(env);
            assertEquals(formed, now, "the cluster changed; operator log " + env.operator().log());
            Thread.sleep(3_000);
        } while (System.nanoTime() < deadline);
    }

    private void assertInMaintenanceMode(Machines.Machine machine) {
        KilnServer server = client.resources(KilnServer.class).inNamespace(NS).withName(machine.name()).get();
        String fingerprint = server.getSpec().getMaintenanceFingerprint();
        assertEquals(fingerprint, machine.lastFingerprint(), machine.name() + " printed another fingerprint");
        assertFalse(Files.exists(machine.root().resolve("STATE/config.yaml")), machine.name() + " keeps a config");
        try (MachineClient node = MachineClient.connect(NodeAddress.parse(machine.endpoint()),
                ClientCredentials.Maintenance.pinned(fingerprint), Duration.ofSeconds(10), RetryPolicy.defaults())) {
            assertEquals("maintenance", node.version().getPlatform().getMode(), machine.name());
        }
    }

    /** Every object of the kinds a Cluster is made of, with its finalizers and deletion state. */
    private List<String> clusterObjectsLeft() {
        List<String> left = new ArrayList<>();
        for (Class<? extends HasMetadata> kind : List.of(Cluster.class, KilnCluster.class, KilnControlPlane.class,
                MachineDeployment.class, MachineSet.class, Machine.class, KilnMachine.class, KilnConfig.class)) {
            for (HasMetadata object : client.resources(kind).inNamespace(NS).list().getItems()) {
                left.add(kind.getSimpleName() + " " + object.getMetadata().getName() + " finalizers "
                        + object.getMetadata().getFinalizers()
                        + (object.getMetadata().getDeletionTimestamp() == null ? "" : " deleting"));
            }
        }
        return left;
    }

    private static boolean freeAndClean(KilnServer server) {
        var status = server == null ? null : server.getStatus();
        return status != null && Boolean.FALSE.equals(status.getInUse()) && Boolean.TRUE.equals(status.getClean())
                && Boolean.TRUE.equals(status.getMaintenance()) && status.getMachineRef() == null;
    }

    /** The Secrets and ConfigMaps Kiln makes for a cluster: access secrets, bundle, bootstrap data, record, claims. */
    private List<String> leftoverSecretsAndConfigMaps() {
        List<String> left = new ArrayList<>();
        for (Secret secret : client.secrets().inNamespace(NS).list().getItems()) {
            left.add("Secret " + secret.getMetadata().getName());
        }
        for (ConfigMap map : client.configMaps().inNamespace(NS).list().getItems()) {
            String name = map.getMetadata().getName();
            if (name.startsWith("kiln-claim-") || name.startsWith(CLUSTER + "-")
                    || CLUSTER.equals(labels(map).get(Machine.CLUSTER_NAME_LABEL))) {
                left.add("ConfigMap " + name);
            }
        }
        return left;
    }

    // ---- objects

    private KilnControlPlane controlPlane() {
        return client.resources(KilnControlPlane.class).inNamespace(NS).withName(CLUSTER).get();
    }

    /** Edits the KilnControlPlane's spec (the operator writes its status meanwhile); returns the new generation. */
    private long editControlPlane(Consumer<KilnControlPlaneSpec> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(KilnControlPlane.class).inNamespace(NS).withName(CLUSTER).edit(cp -> {
                    change.accept(cp.getSpec());
                    return cp;
                }).getMetadata().getGeneration();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Waits for the KilnControlPlane's Resized condition with this reason, observed at {@code generation}. */
    private Condition awaitResized(long generation, String reason) throws InterruptedException {
        KilnControlPlane seen = await("KilnControlPlane Resized " + reason + " at generation " + generation,
                CONDITION_WITHIN, this::controlPlane, cp -> condition(cp.getStatus(), "Resized")
                        .filter(c -> reason.equals(c.getReason()) && Long.valueOf(generation)
                                .equals(c.getObservedGeneration())).isPresent());
        assertEquals(generation, seen.getStatus().getObservedGeneration());
        return condition(seen.getStatus(), "Resized").orElseThrow();
    }

    /** Creates a KilnConfig for cluster demo that no Machine names, and waits for Ready=False InvalidSpec. */
    private Condition awaitInvalidKilnConfig(String name, KilnConfigSpec spec) throws InterruptedException {
        KilnConfig config = new KilnConfig();
        config.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS)
                .withLabels(Map.of(Machine.CLUSTER_NAME_LABEL, CLUSTER)).build());
        config.setSpec(spec);
        long generation = client.resource(config).create().getMetadata().getGeneration();
        KilnConfig seen = await("KilnConfig " + name + " Ready=False InvalidSpec", CONDITION_WITHIN,
                () -> client.resources(KilnConfig.class).inNamespace(NS).withName(name).get(),
                c -> condition(c.getStatus(), "Ready").filter(r -> "InvalidSpec".equals(r.getReason())).isPresent());
        Condition ready = condition(seen.getStatus(), "Ready").orElseThrow();
        assertEquals(Conditions.FALSE, ready.getStatus());
        assertEquals(generation, ready.getObservedGeneration());
        assertNull(client.secrets().inNamespace(NS).withName(name).get(), "a data Secret was written for " + name);
        assertStalled(KilnConfig.class, name, "InvalidSpec");
        return ready;
    }

    private void deleteKilnConfig(String name) throws InterruptedException {
        client.resources(KilnConfig.class).inNamespace(NS).withName(name).delete();
        await("KilnConfig " + name + " gone", Duration.ofSeconds(30),
                () -> client.resources(KilnConfig.class).inNamespace(NS).withName(name).get(), c -> c == null);
    }

    private List<String> names(Class<? extends HasMetadata> kind) {
        return client.resources(kind).inNamespace(NS).list().getItems().stream()
                .map(o -> o.getMetadata().getName()).sorted().toList();
    }

    private static Optional<Condition> condition(HasConditions status, String type) {
        return status == null ? Optional.empty() : Conditions.get(status, type);
    }

    private static Map<String, String> labels(HasMetadata object) {
        return object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels();
    }

    private static <T> T await(String what, Duration within, Supplier<T> probe, Predicate<T> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within " + within + ": " + what + "; last seen: "
                        + (last instanceof HasMetadata object ? Serialization.asJson(object) : last));
            }
            Thread.sleep(500);
            last = probe.get();
        }
        return last;
    }

    private static void figure(String what, long startNanos) {
        System.out.printf("FIGURE %s: %.1f s%n", what, (System.nanoTime() - startNanos) / 1e9);
    }
}
