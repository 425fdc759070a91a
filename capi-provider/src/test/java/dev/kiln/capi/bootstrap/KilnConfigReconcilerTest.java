package dev.kiln.capi.bootstrap;

import static dev.kiln.capi.bootstrap.BootstrapFixtures.decoded;
import static dev.kiln.capi.bootstrap.BootstrapFixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.bootstrap.v1alpha1.ConfigPatch;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.bootstrap.v1alpha1.PatchOp;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.core.v1beta1.ApiEndpoint;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.testing.OperatorHarness;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.config.ParseResult;
import dev.kiln.machinery.pki.Role;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KilnConfigReconcilerTest {

    static KubernetesClient client;

    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private BootstrapFixtures fixtures;
    private String ns;
    private OperatorHarness harness;

    @BeforeEach
    void namespace() {
        ns = "bootstrap-" + NAMESPACES.incrementAndGet();
        fixtures = new BootstrapFixtures(client, ns);
    }

    @AfterEach
    void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    private KilnConfigReconciler reconciler() {
        ClusterLookup clusters = new ClusterLookup(client);
        return new KilnConfigReconciler(client, clusters, new MachineNodes(client),
                new KilnEvents(client, "kiln-bootstrap", Clock.systemUTC()), Clock.systemUTC());
    }

    private void startOperator() {
        harness = OperatorHarness.start(client, List.of(reconciler()));
    }

    /** Cluster "demo" with endpoint 10.0.0.10:6443, one Machine and its KilnConfig, both named {@code name}. */
    private KilnConfig configFor(String name, boolean controlPlane, KilnConfigSpec spec) {
        if (client.resources(dev.kiln.capi.core.v1beta1.Cluster.class).inNamespace(ns).withName("demo").get() == null) {
            fixtures.cluster("demo", "10.0.0.10", false);
        }
        Machine machine = fixtures.machine(name, "demo", controlPlane, name);
        return fixtures.config(name, "demo", machine, spec);
    }

    private KilnConfig await(String name, String what, Predicate<KilnConfig> condition) throws InterruptedException {
        return harness.await(KilnConfig.class, ns, name, what, condition);
    }

    private KilnConfig awaitReady(String name) throws InterruptedException {
        return await(name, "status.ready", c -> c.getStatus() != null && Boolean.TRUE.equals(c.getStatus().getReady()));
    }

    private KilnConfig awaitNotReady(String name, String reason) throws InterruptedException {
        return await(name, "Ready=False " + reason, c -> c.getStatus() != null
                && Conditions.get(c.getStatus(), KilnConfigReconciler.READY)
                        .map(r -> Conditions.FALSE.equals(r.getStatus()) && reason.equals(r.getReason())).orElse(false));
    }

    private Secret awaitSecret(String name) throws InterruptedException {
        return harness.await(Secret.class, ns, name, "exists", s -> true);
    }

    private static Condition ready(KilnConfig config) {
        return Conditions.get(config.getStatus(), KilnConfigReconciler.READY).orElseThrow();
    }

    private static MachineConfig parse(String yaml) {
        ParseResult result = new ConfigParser().parse(yaml);
        return assertInstanceOf(ParseResult.Parsed.class, result, () -> "does not parse: " + result).config();
    }

    private static ConfigPatch patch(PatchOp op, String path, Object value) {
        return new ConfigPatch(op, path, Serialization.jsonMapper().valueToTree(value));
    }

    private SecretsBundle bundle() {
        return ClusterSecrets.load(client, ns, "demo").orElseThrow();
    }

    @Test
    void controlPlaneDataSecretFollowsTheContract() throws Exception {
        startOperator();
        KilnConfig config = configFor("demo-cp-0", true, spec("controlplane"));

        Secret secret = awaitSecret("demo-cp-0");

        assertEquals(KilnLabels.SECRET_TYPE, secret.getType());
        assertEquals(Map.of(KilnLabels.CLUSTER_NAME, "demo", KilnLabels.BOOTSTRAP_DATA, "true"),
                secret.getMetadata().getLabels());
        assertEquals(List.of(BootstrapDataSecret.VALUE_KEY), new ArrayList<>(secret.getData().keySet()));
        OwnerReference owner = secret.getMetadata().getOwnerReferences().get(0);
        assertEquals(List.of("KilnConfig", "demo-cp-0", config.getMetadata().getUid(), true),
                List.of(owner.getKind(), owner.getName(), owner.getUid(), owner.getController()));
        MachineConfig machineConfig = parse(decoded(secret, BootstrapDataSecret.VALUE_KEY));
        assertEquals("demo-cp-0", machineConfig.machine().network().hostname());
        assertTrue(machineConfig.machine().isControlPlane());
        assertNotNull(machineConfig.cluster().etcd().ca().key());
        assertEquals("https://10.0.0.10:6443", machineConfig.cluster().controlPlane().endpoint());
    }

    @Test
    void statusReportsTheDataSecretOnceWritten() throws Exception {
        startOperator();
        configFor("demo-cp-0", true, spec("controlplane"));

        KilnConfig ready = awaitReady("demo-cp-0");

        assertEquals("demo-cp-0", ready.getStatus().getDataSecretName());
        assertEquals(Boolean.TRUE, ready.getStatus().getInitialization().getDataSecretCreated());
        assertTrue(Conditions.isTrue(ready.getStatus(), KilnConfigReconciler.READY));
        assertTrue(Conditions.isTrue(ready.getStatus(), KilnConfigReconciler.DATA_SECRET_AVAILABLE));
        List<Event> created = events("demo-cp-0", KilnConfigReconciler.DATA_SECRET_CREATED);
        assertEquals(1, created.size());
        assertEquals("Normal", created.get(0).getType());
    }

    @Test
    void workerConfigCarriesNoEtcdCaKey() throws Exception {
        startOperator();
        configFor("demo-md-0", false, spec("worker"));

        MachineConfig machineConfig = parse(decoded(awaitSecret("demo-md-0"), BootstrapDataSecret.VALUE_KEY));

        assertFalse(machineConfig.machine().isControlPlane());
        assertNull(machineConfig.cluster().etcd());
        assertFalse(decoded(awaitSecret("demo-md-0"), BootstrapDataSecret.VALUE_KEY).contains("etcd"));
    }

    @Test
    void noneWritesSpecDataAsItIs() throws Exception {
        String data = "# mine\n" + new ConfigWriter().write(ConfigGenerator.generate(SecretsBundle.generate(),
                MachineType.WORKER, ConfigGenerator.Options.of("demo", "https://10.0.0.10:6443")));
        KilnConfigSpec spec = spec("none");
        spec.setData(data);
        startOperator();
        configFor("demo-byo-0", false, spec);

        assertEquals(data, decoded(awaitSecret("demo-byo-0"), BootstrapDataSecret.VALUE_KEY));
    }

    @Test
    void jsonPatchIsAppliedToTheGeneratedConfig() throws Exception {
        KilnConfigSpec spec = spec("worker");
        spec.setConfigPatches(List.of(patch(PatchOp.REPLACE, "/machine/install/disk", "/dev/vda")));
        startOperator();
        configFor("demo-md-0", false, spec);

        MachineConfig machineConfig = parse(decoded(awaitSecret("demo-md-0"), BootstrapDataSecret.VALUE_KEY));

        assertEquals("/dev/vda", machineConfig.machine().install().disk());
    }

    @Test
    void strategicPatchIsAppliedToTheGeneratedConfig() throws Exception {
        KilnConfigSpec spec = spec("worker");
        spec.setStrategicPatches(List.of("machine:\n  install:\n    wipe: true\n"));
        startOperator();
        configFor("demo-md-0", false, spec);

        MachineConfig machineConfig = parse(decoded(awaitSecret("demo-md-0"), BootstrapDataSecret.VALUE_KEY));

        assertTrue(machineConfig.machine().install().wipe());
    }

    @Test
    void malformedPatchIsReportedByIndexAndPathAndNoDataSecretIsWritten() throws Exception {
        KilnConfigSpec spec = spec("worker");
        spec.setConfigPatches(List.of(
                patch(PatchOp.REPLACE, "/machine/install/disk", "/dev/vda"),
                patch(PatchOp.REPLACE, "/machine/foo", "bar")));
        startOperator();
        configFor("demo-md-0", false, spec);

        KilnConfig invalid = awaitNotReady("demo-md-0", KilnConfigReconciler.INVALID_SPEC);

        assertEquals("spec.configPatches[1] (replace /machine/foo): path does not exist", ready(invalid).getMessage());
        Condition stalled = Conditions.get(invalid.getStatus(), KstatusConditions.STALLED).orElseThrow();
        assertEquals(KilnConfigReconciler.INVALID_SPEC, stalled.getReason());
        assertEquals(Conditions.TRUE, stalled.getStatus());
        assertNull(fixtures.secret("demo-md-0"));
        assertEquals("Warning", events("demo-md-0", KilnConfigReconciler.INVALID_SPEC).get(0).getType());
    }

    @Test
    void patchCopyingTheMachineCaKeyIsRefusedByIndexAndNothingIsWritten() throws Exception {
        KilnConfigSpec spec = spec("worker");
        ConfigPatch copy = patch(PatchOp.COPY, "/machine/certSANs/-", null);
        copy.setValue(null);
        copy.setFrom("/machine/ca/key");
        spec.setConfigPatches(List.of(patch(PatchOp.ADD, "/machine/certSANs", List.of()),
                patch(PatchOp.REPLACE, "/machine/install/disk", "/dev/vda"), copy));
        startOperator();
        configFor("demo-md-0", false, spec);

        KilnConfig invalid = awaitNotReady("demo-md-0", KilnConfigReconciler.INVALID_SPEC);

        assertEquals("spec.configPatches[2].from: /machine/ca/key may not be copied or moved",
                ready(invalid).getMessage());
        assertNull(fixtures.secret("demo-md-0"));
    }

    private Secret plantedBundle(Map<String, String> annotations) {
        Secret planted = new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata().withName("demo-kiln-secrets").withNamespace(ns).withAnnotations(annotations)
                .endMetadata()
                .addToData("bundle", java.util.Base64.getEncoder().encodeToString(
                        SecretsBundle.generate().toYaml().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build();
        return client.secrets().inNamespace(ns).resource(planted).create();
    }

    @Test
    void aPlantedSecretsBundleIsNeitherUsedNorOverwrittenAndTheConditionNamesIt() throws Exception {
        fixtures.cluster("demo", "10.0.0.10", false);
        Secret planted = plantedBundle(null);
        startOperator();
        configFor("demo-cp-0", true, spec("controlplane"));

        KilnConfig refused = awaitNotReady("demo-cp-0", KilnConfigReconciler.SECRETS_BUNDLE_NOT_TRUSTED);

        assertTrue(ready(refused).getMessage().startsWith("Secret demo-kiln-secrets was not created by Kiln for "
                + "Cluster demo"), ready(refused).getMessage());
        assertNull(fixtures.secret("demo-cp-0"));
        Secret after = client.secrets().inNamespace(ns).withName("demo-kiln-secrets").get();
        assertEquals(planted.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals(planted.getData(), after.getData());
        assertTrue(ClusterSecrets.load(client, ns, "demo").isEmpty());
    }

    @Test
    void aSecretsBundleAdoptedByAnnotationIsUsed() throws Exception {
        fixtures.cluster("demo", "10.0.0.10", false);
        Secret planted = plantedBundle(Map.of("kiln.dev/adopt-secrets", "true"));
        startOperator();
        configFor("demo-cp-0", true, spec("controlplane"));

        awaitReady("demo-cp-0");

        MachineConfig config = parse(new String(java.util.Base64.getDecoder().decode(
                fixtures.secret("demo-cp-0").getData().get("value")), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(SecretsBundle.fromYaml(new String(java.util.Base64.getDecoder().decode(
                planted.getData().get("bundle")), java.nio.charset.StandardCharsets.UTF_8)).clusterSecret(),
                config.cluster().secret());
    }

    @Test
    void unknownGenerateTypeIsReportedOnSpecGenerateType() throws Exception {
        startOperator();
        configFor("demo-gpu-0", false, spec("gpu"));

        KilnConfig invalid = awaitNotReady("demo-gpu-0", KilnConfigReconciler.INVALID_SPEC);

        assertEquals("spec.generateType: must be controlplane, worker or none", ready(invalid).getMessage());
        assertNull(fixtures.secret("demo-gpu-0"));
    }

    @Test
    void badSpecIsReportedBeforeAnyMachineNamesTheConfig() throws Exception {
        fixtures.cluster("demo", "10.0.0.10", false);
        KilnConfigSpec spec = spec("worker");
        spec.setStrategicPatches(List.of("- not\n- a mapping\n"));
        startOperator();
        fixtures.config("demo-orphan", "demo", null, spec);

        KilnConfig invalid = awaitNotReady("demo-orphan", KilnConfigReconciler.INVALID_SPEC);

        assertTrue(ready(invalid).getMessage().startsWith("spec.strategicPatches[0] "), ready(invalid).getMessage());
        assertEquals(invalid.getMetadata().getGeneration(), ready(invalid).getObservedGeneration());
        assertEquals(List.of(), client.secrets().inNamespace(ns).list().getItems());
    }

    @Test
    void badPatchAfterTheDataSecretExistsLeavesTheSecretAsItWas() throws Exception {
        startOperator();
        configFor("demo-md-0", false, spec("worker"));
        Secret before = awaitSecret("demo-md-0");
        awaitReady("demo-md-0");

        client.resources(KilnConfig.class).inNamespace(ns).withName("demo-md-0").edit(c -> {
            c.getSpec().setConfigPatches(List.of(patch(PatchOp.REMOVE, "/machine/nothing", null)));
            return c;
        });
        KilnConfig invalid = awaitNotReady("demo-md-0", KilnConfigReconciler.INVALID_SPEC);

        assertEquals("spec.configPatches[0] (remove /machine/nothing): path does not exist", ready(invalid).getMessage());
        Secret after = fixtures.secret("demo-md-0");
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals(before.getData(), after.getData());
        assertTrue(Conditions.isTrue(invalid.getStatus(), KilnConfigReconciler.DATA_SECRET_AVAILABLE));
    }

    @Test
    void specChangeAfterTheDataSecretExistsKeepsTheFirstDataAndSaysSo() throws Exception {
        startOperator();
        configFor("demo-md-0", false, spec("worker"));
        Secret before = awaitSecret("demo-md-0");
        awaitReady("demo-md-0");

        client.resources(KilnConfig.class).inNamespace(ns).withName("demo-md-0").edit(c -> {
            c.getSpec().setStrategicPatches(List.of("machine:\n  install:\n    wipe: true\n"));
            return c;
        });
        KilnConfig changed = await("demo-md-0", "DataSecretUpToDate=False", c -> c.getStatus() != null
                && Conditions.get(c.getStatus(), KilnConfigReconciler.DATA_SECRET_UP_TO_DATE).isPresent());

        assertEquals(KilnConfigReconciler.SPEC_CHANGED,
                Conditions.get(changed.getStatus(), KilnConfigReconciler.DATA_SECRET_UP_TO_DATE).get().getReason());
        assertTrue(Conditions.isTrue(changed.getStatus(), KilnConfigReconciler.READY));
        assertEquals(before.getData(), fixtures.secret("demo-md-0").getData());
    }

    @Test
    void reconcilingAgainDoesNotRewriteTheDataSecret() throws Exception {
        startOperator();
        configFor("demo-cp-0", true, spec("controlplane"));
        Secret before = awaitSecret("demo-cp-0");
        awaitReady("demo-cp-0");
        client.secrets().inNamespace(ns).withName(KilnLabels.kilnconfigSecretName("demo")).delete();

        // A Machine change is an event for its KilnConfig; the recreated client config shows the pass ran.
        client.resources(Machine.class).inNamespace(ns).withName("demo-cp-0").edit(m -> {
            m.getMetadata().getLabels().put("touched", "yes");
            return m;
        });
        awaitSecret(KilnLabels.kilnconfigSecretName("demo"));

        Secret after = fixtures.secret("demo-cp-0");
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        KilnConfig config = client.resources(KilnConfig.class).inNamespace(ns).withName("demo-cp-0").get();
        assertTrue(Conditions.get(config.getStatus(), KilnConfigReconciler.DATA_SECRET_UP_TO_DATE).isEmpty());
    }

    @Test
    void twoConfigsOfOneClusterReconciledConcurrentlyShareOneBundle() throws Exception {
        fixtures.cluster("demo", "10.0.0.10", false);
        List<KilnConfig> configs = new ArrayList<>();
        // Workers, so that no config waits for etcd peers.
        for (String name : List.of("demo-md-0", "demo-md-1", "demo-md-2")) {
            configs.add(fixtures.config(name, "demo", fixtures.machine(name, "demo", false, name), spec("worker")));
        }
        KilnConfigReconciler reconciler = reconciler();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(configs.size());
        try {
            List<Future<UpdateControl<KilnConfig>>> results = new ArrayList<>();
            for (KilnConfig config : configs) {
                results.add(pool.submit(() -> {
                    go.await();
                    return reconciler.reconcile(config, ClusterLookup.NOTHING_CACHED);
                }));
            }
            go.countDown();
            for (Future<UpdateControl<KilnConfig>> result : results) {
                assertTrue(result.get(60, TimeUnit.SECONDS).isPatchStatus());
            }
        } finally {
            pool.shutdownNow();
        }

        List<Secret> bundles = client.secrets().inNamespace(ns).withLabel(KilnLabels.CLUSTER_NAME, "demo").list()
                .getItems().stream().filter(s -> s.getData().containsKey("bundle")).toList();
        assertEquals(1, bundles.size());
        SecretsBundle bundle = bundle();
        for (KilnConfig config : configs) {
            MachineConfig machineConfig = parse(decoded(fixtures.secret(config.getMetadata().getName()),
                    BootstrapDataSecret.VALUE_KEY));
            assertEquals(bundle.clusterId(), machineConfig.cluster().id(), config.getMetadata().getName());
        }
    }

    /** Control-plane Machines {@code names} of cluster "demo" (endpoint 10.0.0.10:6443), each named by its config. */
    private void controlPlaneMachines(String... names) {
        if (client.resources(Cluster.class).inNamespace(ns).withName("demo").get() == null) {
            fixtures.cluster("demo", "10.0.0.10", false);
        }
        for (String name : names) {
            fixtures.machine(name, "demo", true, name);
        }
    }

    /** The config waits for the servers of {@code siblings} (as its message lists them) and has no data Secret. */
    private void assertWaitsUnwrittenForServersOf(String config, String siblings) throws Exception {
        KilnConfig waiting = awaitNotReady(config, KilnConfigReconciler.WAITING_FOR_ETCD_PEERS);
        assertTrue(ready(waiting).getMessage().startsWith("control-plane machines " + siblings + " have no server"),
                ready(waiting).getMessage());
        assertNull(fixtures.secret(config));
    }

    private KilnConfig controlPlaneConfig(String name) {
        Machine machine = client.resources(Machine.class).inNamespace(ns).withName(name).get();
        return fixtures.config(name, "demo", machine, spec("controlplane"));
    }

    private List<String> etcdPeersIn(String secretName) {
        MachineConfig config = parse(decoded(fixtures.secret(secretName), BootstrapDataSecret.VALUE_KEY));
        return config.cluster().etcd().peers() == null ? List.of() : config.cluster().etcd().peers();
    }

    @Test
    void controlPlaneConfigNamesTheOtherControlPlaneServersAsEtcdPeersSorted() throws Exception {
        controlPlaneMachines("demo-cp-0", "demo-cp-1", "demo-cp-2");
        fixtures.kilnControlPlane("demo", 3);
        // Started after the Cluster names its control plane, so no pass reads a Cluster cached without it.
        startOperator();
        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.3:50000", false);
        fixtures.holdsServer("demo-cp-1", "demo", "s1", "10.0.0.1:50000", false);
        fixtures.holdsServer("demo-cp-2", "demo", "s2", "[fd00::2]:50000", false);
        for (String name : List.of("demo-cp-0", "demo-cp-1", "demo-cp-2")) {
            controlPlaneConfig(name);
        }

        awaitSecret("demo-cp-1");
        assertEquals(List.of("https://10.0.0.3:2379", "https://[fd00::2]:2379"), etcdPeersIn("demo-cp-1"));
        awaitSecret("demo-cp-2");
        assertEquals(List.of("https://10.0.0.1:2379", "https://10.0.0.3:2379"), etcdPeersIn("demo-cp-2"));
    }

    @Test
    void aControlPlaneConfigWaitsWhileASiblingHasNoServerAndIsWrittenOnceItClaimsOne() throws Exception {
        controlPlaneMachines("demo-cp-0", "demo-cp-1", "demo-cp-2");
        fixtures.kilnControlPlane("demo", 3);
        // Started after the Cluster names its control plane, so no pass reads a Cluster cached without it.
        startOperator();
        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.1:50000", false);
        fixtures.holdsServer("demo-cp-1", "demo", "s1", "10.0.0.2:50000", false);
        controlPlaneConfig("demo-cp-1");

        KilnConfig waiting = awaitNotReady("demo-cp-1", KilnConfigReconciler.WAITING_FOR_ETCD_PEERS);
        assertTrue(ready(waiting).getMessage().startsWith("control-plane machines demo-cp-2 have no server yet"),
                ready(waiting).getMessage());
        assertEquals(KilnConfigReconciler.WAITING_FOR_ETCD_PEERS, Conditions.get(waiting.getStatus(),
                KilnConfigReconciler.DATA_SECRET_AVAILABLE).orElseThrow().getReason());
        assertNull(fixtures.secret("demo-cp-1"));
        assertNotEquals(Boolean.TRUE, waiting.getStatus().getReady());

        // The claim recorded on the sibling's KilnMachine is the event that lets the config go.
        fixtures.holdsServer("demo-cp-2", "demo", "s2", "10.0.0.3:50000", false);
        awaitSecret("demo-cp-1");
        assertEquals(List.of("https://10.0.0.1:2379", "https://10.0.0.3:2379"), etcdPeersIn("demo-cp-1"));
        awaitReady("demo-cp-1");
    }

    @Test
    void theFirstMachinesConfigWaitsForItsSiblingsServersSoThatItNamesThem() throws Exception {
        controlPlaneMachines("demo-cp-0", "demo-cp-1", "demo-cp-2");
        fixtures.kilnControlPlane("demo", 3);
        // Started after the Cluster names its control plane, so no pass reads a Cluster cached without it.
        startOperator();
        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.1:50000", false);
        controlPlaneConfig("demo-cp-0");

        assertWaitsUnwrittenForServersOf("demo-cp-0", "demo-cp-1, demo-cp-2");

        fixtures.holdsServer("demo-cp-1", "demo", "s1", "10.0.0.2:50000", false);
        fixtures.holdsServer("demo-cp-2", "demo", "s2", "10.0.0.3:50000", false);
        awaitSecret("demo-cp-0");
        assertEquals(List.of("https://10.0.0.2:2379", "https://10.0.0.3:2379"), etcdPeersIn("demo-cp-0"));
    }

    @Test
    void aConfigWaitsForTheSiblingsTheKilnControlPlaneOwningItsMachineWantsEvenIfTheClusterNamesNone()
            throws Exception {
        controlPlaneMachines("demo-cp-0", "demo-cp-1", "demo-cp-2");
        fixtures.kilnControlPlaneOwning("demo-cp", 3, "demo-cp-0", "demo-cp-1", "demo-cp-2");
        startOperator();
        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.1:50000", false);
        controlPlaneConfig("demo-cp-0");

        assertWaitsUnwrittenForServersOf("demo-cp-0", "demo-cp-1, demo-cp-2");
    }

    @Test
    void withoutAKilnControlPlaneAConfigWaitsForTheFirstMachineToBeProvisioned() throws Exception {
        startOperator();
        controlPlaneMachines("demo-cp-0", "demo-cp-1");
        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.1:50000", false);
        fixtures.holdsServer("demo-cp-1", "demo", "s1", "10.0.0.2:50000", false);
        controlPlaneConfig("demo-cp-0");
        controlPlaneConfig("demo-cp-1");

        awaitSecret("demo-cp-0");
        assertEquals(List.of("https://10.0.0.2:2379"), etcdPeersIn("demo-cp-0"));
        KilnConfig waiting = awaitNotReady("demo-cp-1", KilnConfigReconciler.WAITING_FOR_ETCD_PEERS);
        assertTrue(ready(waiting).getMessage().startsWith("control-plane machine demo-cp-0 is the first"),
                ready(waiting).getMessage());

        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.1:50000", true);
        awaitSecret("demo-cp-1");
        assertEquals(List.of("https://10.0.0.1:2379"), etcdPeersIn("demo-cp-1"));
    }

    @Test
    void dataWrittenAgainForAnUnchangedInputIsByteForByteTheSame() throws Exception {
        controlPlaneMachines("demo-cp-0", "demo-cp-1", "demo-cp-2");
        fixtures.kilnControlPlane("demo", 3);
        // Started after the Cluster names its control plane, so no pass reads a Cluster cached without it.
        startOperator();
        fixtures.holdsServer("demo-cp-2", "demo", "s2", "10.0.0.3:50000", false);
        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.1:50000", false);
        fixtures.holdsServer("demo-cp-1", "demo", "s1", "10.0.0.2:50000", false);
        controlPlaneConfig("demo-cp-1");
        Secret first = awaitSecret("demo-cp-1");
        awaitReady("demo-cp-1");

        client.secrets().inNamespace(ns).withName("demo-cp-1").delete();
        Secret again = harness.await(Secret.class, ns, "demo-cp-1", "written again",
                s -> !first.getMetadata().getUid().equals(s.getMetadata().getUid()));

        assertEquals(first.getData(), again.getData());
        assertEquals(List.of("https://10.0.0.1:2379", "https://10.0.0.3:2379"), etcdPeersIn("demo-cp-1"));
    }

    @Test
    void peersThatChangeAfterTheDataIsWrittenLeaveItAsItWasAndUpToDate() throws Exception {
        controlPlaneMachines("demo-cp-0", "demo-cp-1");
        fixtures.kilnControlPlane("demo", 2);
        // Started after the Cluster names its control plane, so no pass reads a Cluster cached without it.
        startOperator();
        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.1:50000", false);
        fixtures.holdsServer("demo-cp-1", "demo", "s1", "10.0.0.2:50000", false);
        controlPlaneConfig("demo-cp-1");
        Secret before = awaitSecret("demo-cp-1");
        awaitReady("demo-cp-1");
        client.secrets().inNamespace(ns).withName(KilnLabels.kilnconfigSecretName("demo")).delete();

        // The sibling's new server is an event for this config; the recreated client config shows the pass ran.
        fixtures.holdsServer("demo-cp-0", "demo", "s9", "10.0.0.9:50000", false);
        awaitSecret(KilnLabels.kilnconfigSecretName("demo"));

        Secret after = fixtures.secret("demo-cp-1");
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertEquals(List.of("https://10.0.0.1:2379"), etcdPeersIn("demo-cp-1"));
        KilnConfig config = client.resources(KilnConfig.class).inNamespace(ns).withName("demo-cp-1").get();
        assertTrue(Conditions.get(config.getStatus(), KilnConfigReconciler.DATA_SECRET_UP_TO_DATE).isEmpty(),
                config.getStatus().getConditions().toString());
        assertTrue(Conditions.isTrue(config.getStatus(), KilnConfigReconciler.READY));
    }

    @Test
    void aControlPlaneConfigWithNoPeerToNameKeepsThePeersItsOwnDataNames() throws Exception {
        String data = "# mine\n" + new ConfigWriter().write(ConfigGenerator.generate(SecretsBundle.generate(),
                MachineType.CONTROLPLANE, ConfigGenerator.Options.of("demo", "https://10.0.0.10:6443")
                        .withEtcdPeers(List.of("https://192.0.2.7:2379"))));
        KilnConfigSpec spec = spec("none");
        spec.setData(data);
        startOperator();
        configFor("demo-byo-0", true, spec);

        assertEquals(data, decoded(awaitSecret("demo-byo-0"), BootstrapDataSecret.VALUE_KEY));
    }

    @Test
    void aControlPlaneConfigWithPeersToNameReplacesThePeersItsOwnDataNames() throws Exception {
        startOperator();
        controlPlaneMachines("demo-cp-0", "demo-byo-1");
        fixtures.holdsServer("demo-cp-0", "demo", "s0", "10.0.0.1:50000", true);
        String data = new ConfigWriter().write(ConfigGenerator.generate(bundleOf("demo"), MachineType.CONTROLPLANE,
                ConfigGenerator.Options.of("demo", "https://10.0.0.10:6443")
                        .withEtcdPeers(List.of("https://192.0.2.7:2379"))));
        KilnConfigSpec spec = spec("none");
        spec.setData(data);
        fixtures.config("demo-byo-1", "demo", client.resources(Machine.class).inNamespace(ns).withName("demo-byo-1")
                .get(), spec);

        awaitSecret("demo-byo-1");
        assertEquals(List.of("https://10.0.0.1:2379"), etcdPeersIn("demo-byo-1"));
    }

    private SecretsBundle bundleOf(String cluster) {
        Cluster created = client.resources(Cluster.class).inNamespace(ns).withName(cluster).get();
        return ClusterSecrets.loadOrCreate(client, created);
    }

    @Test
    void theBootstrapDataLabelMarksTheMachinesConfigsAndNoneOfTheClustersOwnSecrets() throws Exception {
        startOperator();
        configFor("demo-cp-0", true, spec("controlplane"));
        awaitSecret("demo-cp-0");
        awaitSecret(KilnLabels.kilnconfigSecretName("demo"));

        List<String> selected = client.secrets().inNamespace(ns)
                .withLabelSelector(KilnLabels.CLUSTER_NAME + "," + KilnLabels.BOOTSTRAP_DATA).list().getItems()
                .stream().map(secret -> secret.getMetadata().getName()).sorted().toList();

        assertEquals(List.of("demo-cp-0"), selected);
    }

    @Test
    void caAndKilnconfigSecretsAreWrittenFromTheBundle() throws Exception {
        startOperator();
        configFor("demo-cp-0", true, spec("controlplane"));

        Secret ca = awaitSecret(KilnLabels.caSecretName("demo"));
        Secret kilnconfig = awaitSecret(KilnLabels.kilnconfigSecretName("demo"));

        SecretsBundle bundle = bundle();
        assertEquals(KilnLabels.SECRET_TYPE, ca.getType());
        assertEquals(bundle.k8s().certificatePem(), decoded(ca, ClusterAccessSecrets.TLS_CRT));
        assertEquals(bundle.k8s().keyPem(), decoded(ca, ClusterAccessSecrets.TLS_KEY));
        assertEquals("Cluster", ca.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(Map.of(KilnLabels.CLUSTER_NAME, "demo"), kilnconfig.getMetadata().getLabels());
        var context = dev.kiln.machinery.clientconfig.KilnConfig
                .parse(decoded(kilnconfig, ClusterAccessSecrets.KILNCONFIG_KEY)).current();
        assertEquals(java.util.Set.of(Role.ADMIN), context.roles());
        assertEquals(List.of("10.0.0.10"), context.endpoints());
        assertEquals(bundle.os().certificate(), context.caCertificates().get(0));
    }

    @Test
    void controlPlaneMachineGetsTheEtcdHook() throws Exception {
        startOperator();
        configFor("demo-cp-0", true, spec("controlplane"));

        Machine machine = harness.await(Machine.class, ns, "demo-cp-0", "etcd hook",
                m -> m.getMetadata().getAnnotations() != null
                        && m.getMetadata().getAnnotations().containsKey(KilnLabels.ETCD_HOOK));

        assertEquals(KilnLabels.HOOK_OWNER, machine.getMetadata().getAnnotations().get(KilnLabels.ETCD_HOOK));
    }

    @Test
    void workerMachineGetsNoHook() throws Exception {
        startOperator();
        configFor("demo-md-0", false, spec("worker"));
        awaitReady("demo-md-0");

        Machine machine = client.resources(Machine.class).inNamespace(ns).withName("demo-md-0").get();

        assertTrue(machine.getMetadata().getAnnotations() == null
                || !machine.getMetadata().getAnnotations().containsKey(KilnLabels.ETCD_HOOK));
    }

    @Test
    void addingTheHookKeepsEverythingElseOnTheMachine() throws Exception {
        fixtures.cluster("demo", "10.0.0.10", false);
        Machine machine = fixtures.machine("demo-cp-0", "demo", true, "demo-cp-0");
        client.resources(Machine.class).inNamespace(ns).withName("demo-cp-0").edit(m -> {
            m.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("team", "storage")));
            m.getSpec().setAdditionalProperty("nodeDrainTimeout", "10s");
            return m;
        });
        fixtures.config("demo-cp-0", "demo", machine, spec("controlplane"));
        startOperator();

        Machine hooked = harness.await(Machine.class, ns, "demo-cp-0", "etcd hook",
                m -> m.getMetadata().getAnnotations().containsKey(KilnLabels.ETCD_HOOK));

        assertEquals("storage", hooked.getMetadata().getAnnotations().get("team"));
        assertEquals("10s", hooked.getSpec().getAdditionalProperties().get("nodeDrainTimeout"));
        assertEquals("v1.31.0", hooked.getSpec().getVersion());
        assertEquals("demo-cp-0", hooked.getSpec().getBootstrap().getConfigRef().getName());
    }

    @Test
    void pausedClusterGetsNothingWritten() throws Exception {
        fixtures.cluster("demo", "10.0.0.10", true);
        Machine machine = fixtures.machine("demo-cp-0", "demo", true, "demo-cp-0");
        KilnConfig config = fixtures.config("demo-cp-0", "demo", machine, spec("controlplane"));

        UpdateControl<KilnConfig> result = reconciler().reconcile(config, ClusterLookup.NOTHING_CACHED);

        assertTrue(result.isPatchStatus());
        assertEquals(Optional.of(KilnConfigReconciler.WAIT.toMillis()), result.getScheduleDelay());
        assertEquals(List.of(), client.secrets().inNamespace(ns).list().getItems());
        var annotations = client.resources(Machine.class).inNamespace(ns).withName("demo-cp-0").get().getMetadata()
                .getAnnotations();
        assertTrue(annotations == null || !annotations.containsKey(KilnLabels.ETCD_HOOK));
        assertOnlyPaused(result.getResource().orElseThrow());
    }

    private static void assertOnlyPaused(KilnConfig written) {
        Condition paused = Conditions.get(written.getStatus(), KstatusConditions.PAUSED).orElseThrow();
        assertEquals(Conditions.TRUE, paused.getStatus());
        assertEquals("Cluster demo is paused (spec.paused)", paused.getMessage());
        assertEquals(List.of(KstatusConditions.PAUSED),
                written.getStatus().getConditions().stream().map(Condition::getType).toList());
        assertNull(written.getStatus().getDataSecretName());
    }

    @Test
    void pausedClusterGetsNoConditionForABadSpecEither() throws Exception {
        fixtures.cluster("demo", "10.0.0.10", true);
        KilnConfig config = fixtures.config("demo-orphan", "demo", null, spec("bogus"));

        UpdateControl<KilnConfig> result = reconciler().reconcile(config, ClusterLookup.NOTHING_CACHED);

        assertTrue(result.isPatchStatus());
        assertOnlyPaused(result.getResource().orElseThrow());
    }

    @Test
    void observedGenerationFollowsTheSpec() throws Exception {
        startOperator();
        configFor("demo-md-0", false, spec("worker"));
        awaitReady("demo-md-0");

        client.resources(KilnConfig.class).inNamespace(ns).withName("demo-md-0").edit(c -> {
            c.getSpec().setStrategicPatches(List.of("machine:\n  install:\n    wipe: true\n"));
            return c;
        });
        KilnConfig observed = await("demo-md-0", "observedGeneration 2",
                c -> c.getStatus() != null && Long.valueOf(2).equals(c.getStatus().getObservedGeneration()));

        assertEquals(observed.getMetadata().getGeneration(), observed.getStatus().getObservedGeneration());
        for (Condition condition : observed.getStatus().getConditions()) {
            assertEquals(observed.getMetadata().getGeneration(), condition.getObservedGeneration(), condition.getType());
        }
    }

    @Test
    void waitsForItsMachineAndGoesOnWhenTheMachineAppears() throws Exception {
        fixtures.cluster("demo", "10.0.0.10", false);
        startOperator();
        fixtures.config("demo-cp-0", "demo", null, spec("controlplane"));
        KilnConfig waiting = awaitNotReady("demo-cp-0", KilnConfigReconciler.WAITING_FOR_MACHINE);
        assertNull(waiting.getStatus().getReady());

        fixtures.machine("demo-cp-0", "demo", true, "demo-cp-0");

        // Well within the 30 s requeue: the Machine's own event must bring the KilnConfig back.
        harness.await(KilnConfig.class, ns, "demo-cp-0", "ready after the Machine appeared",
                c -> Boolean.TRUE.equals(c.getStatus().getReady()), Duration.ofSeconds(5));
    }

    @Test
    void waitsForTheClusterControlPlaneEndpoint() throws Exception {
        fixtures.cluster("demo", null, false);
        Machine machine = fixtures.machine("demo-cp-0", "demo", true, "demo-cp-0");
        startOperator();
        fixtures.config("demo-cp-0", "demo", machine, spec("controlplane"));

        KilnConfig waiting = awaitNotReady("demo-cp-0", KilnConfigReconciler.WAITING_FOR_ENDPOINT);

        assertEquals("Cluster demo spec.controlPlaneEndpoint is not set", ready(waiting).getMessage());
        assertEquals(List.of(), client.secrets().inNamespace(ns).list().getItems());
    }

    @Test
    void goesOnWhenItsClusterGainsAControlPlaneEndpoint() throws Exception {
        fixtures.cluster("demo", null, false);
        Machine machine = fixtures.machine("demo-cp-0", "demo", true, "demo-cp-0");
        startOperator();
        fixtures.config("demo-cp-0", "demo", machine, spec("controlplane"));
        awaitNotReady("demo-cp-0", KilnConfigReconciler.WAITING_FOR_ENDPOINT);

        Cluster cluster = client.resources(Cluster.class).inNamespace(ns).withName("demo").get();
        ApiEndpoint endpoint = new ApiEndpoint();
        endpoint.setHost("10.0.0.10");
        endpoint.setPort(6443);
        cluster.getSpec().setControlPlaneEndpoint(endpoint);
        client.resource(cluster).update();

        // Well within the 30 s requeue: the Cluster's event must bring the KilnConfig back.
        harness.await(KilnConfig.class, ns, "demo-cp-0", "ready after the endpoint was set",
                c -> Boolean.TRUE.equals(c.getStatus().getReady()), Duration.ofSeconds(10));
    }

    @Test
    void statusAndEventsCarryNoSecrets() throws Exception {
        startOperator();
        configFor("demo-cp-0", true, spec("controlplane"));
        KilnConfig ready = awaitReady("demo-cp-0");

        SecretsBundle bundle = bundle();
        String visible = Serialization.asJson(ready.getStatus()) + Serialization.asJson(events("demo-cp-0", null));
        for (String secret : List.of(bundle.machineToken(), bundle.bootstrapToken(), bundle.clusterSecret(),
                bundle.clusterId())) {
            assertFalse(visible.contains(secret));
        }
        assertFalse(visible.contains("PRIVATE KEY"));
    }

    private List<Event> events(String about, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> about.equals(e.getInvolvedObject().getName()))
                .filter(e -> reason == null || reason.equals(e.getReason()))
                .toList();
    }
}
