package dev.kiln.testenv.capi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigStatus;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplate;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplateResource;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigTemplateSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplateResource;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplateSpec;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import dev.kiln.capi.core.v1beta1.MachineSpec;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import dev.kiln.testenv.KilnCrds;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class CapiCoreStandInTest {

    static KubernetesClient client;

    private Operator operator;
    private OwnerCollector collector;

    @BeforeEach
    void start() {
        if (client.apiextensions().v1().customResourceDefinitions().list().getItems().isEmpty()) {
            KilnCrds.install(client);
            CapiCoreCrds.install(client);
        }
        operator = new Operator(o -> o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false).withCloseClientOnStop(false));
        CapiCoreStandIn.reconcilers(client).forEach(reconciler -> register(operator, reconciler));
        operator.start();
        collector = new OwnerCollector(client).start();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void register(Operator operator, io.javaoperatorsdk.operator.api.reconciler.Reconciler reconciler) {
        operator.register(reconciler);
    }

    @AfterEach
    void stop() {
        collector.close();
        operator.stop();
    }

    private static ObjectMeta meta(String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace("default").build();
    }

    private static <T> T await(String what, Supplier<T> probe) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null && !(value instanceof Boolean b && !b)) {
                return value;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private void createDeployment(String name, int replicas) {
        KilnConfigTemplate configTemplate = new KilnConfigTemplate();
        configTemplate.setMetadata(meta(name + "-config"));
        KilnConfigTemplateSpec configTemplateSpec = new KilnConfigTemplateSpec();
        KilnConfigTemplateResource configResource = new KilnConfigTemplateResource();
        KilnConfigSpec configSpec = new KilnConfigSpec();
        configSpec.setGenerateType("worker");
        configResource.setSpec(configSpec);
        configTemplateSpec.setTemplate(configResource);
        configTemplate.setSpec(configTemplateSpec);
        client.resource(configTemplate).create();

        KilnMachineTemplate machineTemplate = new KilnMachineTemplate();
        machineTemplate.setMetadata(meta(name + "-machine"));
        KilnMachineTemplateSpec machineTemplateSpec = new KilnMachineTemplateSpec();
        KilnMachineTemplateResource machineResource = new KilnMachineTemplateResource();
        machineResource.setSpec(new KilnMachineSpec());
        machineTemplateSpec.setTemplate(machineResource);
        machineTemplate.setSpec(machineTemplateSpec);
        client.resource(machineTemplate).create();

        MachineDeployment deployment = new MachineDeployment();
        deployment.setMetadata(meta(name));
        MachineDeployment.Spec spec = new MachineDeployment.Spec();
        spec.setClusterName("demo");
        spec.setReplicas(replicas);
        MachineDeployment.Template template = new MachineDeployment.Template();
        template.setMetadata(new ObjectMetaBuilder().withLabels(Map.of("pool", name)).build());
        MachineSpec machineSpec = new MachineSpec();
        MachineSpec.Bootstrap bootstrap = new MachineSpec.Bootstrap();
        bootstrap.setConfigRef(new ObjectReference("bootstrap.cluster.x-k8s.io/v1alpha1", "KilnConfigTemplate",
                name + "-config", "default"));
        machineSpec.setBootstrap(bootstrap);
        machineSpec.setInfrastructureRef(new ObjectReference("infrastructure.cluster.x-k8s.io/v1alpha1",
                "KilnMachineTemplate", name + "-machine", "default"));
        template.setSpec(machineSpec);
        spec.setTemplate(template);
        deployment.setSpec(spec);
        client.resource(deployment).create();
    }

    private void annotate(String machine, Map<String, String> annotations) {
        client.resources(Machine.class).inNamespace("default").withName(machine).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                io.fabric8.kubernetes.client.utils.Serialization.asJson(
                        Map.of("metadata", Map.of("annotations", annotations))));
    }

    private List<Machine> machines(String pool) {
        return client.resources(Machine.class).inNamespace("default").withLabel("pool", pool).list().getItems();
    }

    @Test
    void machineDeploymentKeepsItsReplicasWithConfigAndMachineOwnedByEachMachine() throws Exception {
        createDeployment("workers", 2);
        await("two machines", () -> machines("workers").size() == 2);
        for (Machine machine : machines("workers")) {
            assertEquals("demo", machine.getMetadata().getLabels().get(Machine.CLUSTER_NAME_LABEL));
            String name = machine.getMetadata().getName();
            KilnConfig config = await("config adopted", () -> {
                KilnConfig c = client.resources(KilnConfig.class).inNamespace("default").withName(name).get();
                return c != null && Owners.isOwnedBy(c, machine) ? c : null;
            });
            assertEquals("worker", config.getSpec().getGenerateType());
            // the stand-in creates the KilnMachine right after the KilnConfig
            assertNotNull(await("kiln machine " + name,
                    () -> client.resources(KilnMachine.class).inNamespace("default").withName(name).get()));
        }
    }

    @Test
    void bootstrapDataFlowsDownAndProviderIdUpUntilTheMachineRuns() throws Exception {
        Machine running = runningMachine("flow");
        String name = running.getMetadata().getName();
        assertEquals(name, running.getSpec().getBootstrap().getDataSecretName());
        assertEquals("kiln://server-1", running.getSpec().getProviderID());
    }

    @Test
    void aMachineDeletedAfterItRanIsRemovedWithItsInfrastructure() throws Exception {
        Machine running = runningMachine("ran");
        String name = running.getMetadata().getName();
        assertEquals(List.of("cluster.x-k8s.io/machine"), running.getMetadata().getFinalizers());

        client.resources(MachineDeployment.class).inNamespace("default").withName("ran").delete();
        client.resources(Machine.class).inNamespace("default").withName(name).delete();

        await("machine gone", () -> client.resources(Machine.class).inNamespace("default").withName(name).get() == null);
        assertNull(client.resources(KilnMachine.class).inNamespace("default").withName(name).get());
    }

    /** One Machine of a new 1-replica MachineDeployment, taken to Running as the Kiln providers would. */
    private Machine runningMachine(String deployment) throws Exception {
        createDeployment(deployment, 1);
        Machine machine = await("one machine", () -> machines(deployment).size() == 1
                ? machines(deployment).get(0) : null);
        return makeRunning(machine);
    }

    /** Takes a Machine to Running as the Kiln providers would: bootstrap data, then a ready KilnMachine. */
    private Machine makeRunning(Machine machine) throws Exception {
        String name = machine.getMetadata().getName();

        KilnConfig config = await("config", () -> client.resources(KilnConfig.class).inNamespace("default")
                .withName(name).get());
        KilnConfigStatus configStatus = new KilnConfigStatus();
        configStatus.setDataSecretName(name);
        config.setStatus(configStatus);
        client.resource(config).patchStatus();
        await("kiln machine", () -> client.resources(KilnMachine.class).inNamespace("default").withName(name).get());
        KilnMachine kilnMachine = client.resources(KilnMachine.class).inNamespace("default").withName(name).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"providerID\":\"kiln://server-1\"}}");
        KilnMachineStatus machineStatus = new KilnMachineStatus();
        machineStatus.setReady(true);
        kilnMachine.setStatus(machineStatus);
        client.resource(kilnMachine).patchStatus();

        return await("machine running", () -> {
            Machine m = client.resources(Machine.class).inNamespace("default").withName(name).get();
            return m.getStatus() != null && "Running".equals(m.getStatus().getPhase()) ? m : null;
        });
    }

    @Test
    void aTemplateChangeRollsTheMachinesOverKeepingEveryOldOneUntilANewOneRuns() throws Exception {
        createDeployment("roll", 2);
        List<Machine> first = await("two machines", () -> machines("roll").size() == 2 ? machines("roll") : null);
        for (Machine machine : first) {
            makeRunning(machine);
        }
        List<String> oldNames = first.stream().map(m -> m.getMetadata().getName()).toList();
        client.resources(MachineDeployment.class).inNamespace("default").withName("roll").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"template\":{\"spec\":{\"version\":\"v0.2.0\"}}}}");

        Machine surge = await("one new machine next to the two old ones", () -> {
            List<Machine> fresh = machines("roll").stream()
                    .filter(m -> !oldNames.contains(m.getMetadata().getName())).toList();
            return fresh.size() == 1 ? fresh.get(0) : null;
        });
        assertEquals("v0.2.0", surge.getSpec().getVersion());
        assertEquals(2, machines("roll").stream().filter(m -> oldNames.contains(m.getMetadata().getName())
                && !m.isDeleting()).count(), "no old machine goes before a new one runs (maxUnavailable 0)");
        makeRunning(surge);

        Machine second = await("a second new machine once an old one went", () -> {
            List<Machine> fresh = machines("roll").stream().filter(m -> !oldNames.contains(m.getMetadata().getName())
                    && !m.getMetadata().getName().equals(surge.getMetadata().getName())).toList();
            return fresh.size() == 1 ? fresh.get(0) : null;
        });
        makeRunning(second);
        await("only the two new machines left", () -> machines("roll").stream()
                .noneMatch(m -> oldNames.contains(m.getMetadata().getName())));
        assertEquals(List.of("v0.2.0", "v0.2.0"), machines("roll").stream().map(m -> m.getSpec().getVersion())
                .toList());
        await("the old MachineSet deleted", () -> client.resources(MachineSet.class).inNamespace("default")
                .withLabel(MachineDeploymentStandIn.DEPLOYMENT_NAME_LABEL, "roll").list().getItems().size() == 1);
    }

    @Test
    void aMachineDeploymentIsLabelledWithItsClusterAsTheDefaultingWebhookDoes() throws Exception {
        createDeployment("labelled", 0);
        await("cluster-name label", () -> {
            Map<String, String> labels = client.resources(MachineDeployment.class).inNamespace("default")
                    .withName("labelled").get().getMetadata().getLabels();
            return labels != null && "demo".equals(labels.get(Machine.CLUSTER_NAME_LABEL));
        });
    }

    @Test
    void aPreTerminateHookHoldsTheMachineUntilItIsRemoved() throws Exception {
        createDeployment("hooked", 1);
        Machine machine = await("one machine", () -> machines("hooked").size() == 1 ? machines("hooked").get(0) : null);
        String name = machine.getMetadata().getName();
        await("finalizer", () -> {
            Machine m = client.resources(Machine.class).inNamespace("default").withName(name).get();
            return m.getMetadata().getFinalizers() != null && !m.getMetadata().getFinalizers().isEmpty();
        });
        annotate(name, Map.of(Machine.PRE_TERMINATE_HOOK_PREFIX + "test", "test"));
        client.resources(MachineDeployment.class).inNamespace("default").withName("hooked").delete();
        client.resources(Machine.class).inNamespace("default").withName(name).delete();

        Thread.sleep(3000);
        Machine held = client.resources(Machine.class).inNamespace("default").withName(name).get();
        assertNotNull(held, "the hook must hold the machine");
        assertNotNull(client.resources(KilnMachine.class).inNamespace("default").withName(name).get(),
                "infrastructure must stay while the hook holds");

        // A JSON Patch remove: the mock stores a merge patch's null instead of deleting the key.
        client.resources(Machine.class).inNamespace("default").withName(name).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
                "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/"
                        + (Machine.PRE_TERMINATE_HOOK_PREFIX + "test").replace("~", "~0").replace("/", "~1") + "\"}]");
        await("machine gone", () -> client.resources(Machine.class).inNamespace("default").withName(name).get() == null);
        assertNull(client.resources(KilnMachine.class).inNamespace("default").withName(name).get());
        assertNull(client.resources(KilnConfig.class).inNamespace("default").withName(name).get());
    }

    @Test
    void scaleDownRemovesTheMachineMarkedForDeletionFirst() throws Exception {
        createDeployment("shrink", 3);
        await("three machines", () -> machines("shrink").size() == 3);
        Machine marked = machines("shrink").get(1);
        annotate(marked.getMetadata().getName(), Map.of(Machine.DELETE_MACHINE_ANNOTATION, "yes"));
        client.resources(MachineDeployment.class).inNamespace("default").withName("shrink").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":2}}");
        await("marked machine gone", () -> client.resources(Machine.class).inNamespace("default")
                .withName(marked.getMetadata().getName()).get() == null);
        assertEquals(2, machines("shrink").size());
    }

    @Test
    void scaleDownDeletesEverySurplusMachineAtOnceInTheDeploymentsDeleteOrder() throws Exception {
        createDeployment("burst", 3);
        await("three machines", () -> machines("burst").size() == 3);
        for (Machine machine : machines("burst")) {
            annotate(machine.getMetadata().getName(), Map.of(Machine.PRE_TERMINATE_HOOK_PREFIX + "test", "test"));
        }
        client.resources(MachineDeployment.class).inNamespace("default").withName("burst").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"replicas\":1,\"strategy\":{\"rollingUpdate\":{\"deletePolicy\":\"Oldest\"}}}}");
        await("delete policy passed to the MachineSet", () -> {
            List<MachineSet> sets = client.resources(MachineSet.class).inNamespace("default")
                    .withLabel(MachineDeploymentStandIn.DEPLOYMENT_NAME_LABEL, "burst").list().getItems();
            return !sets.isEmpty() && sets.stream().allMatch(set -> "Oldest".equals(set.getSpec().getDeletePolicy()));
        });

        // both held by their hooks at the same time: neither waited for the other to go
        List<Machine> deleting = await("two machines deleting", () -> {
            List<Machine> d = machines("burst").stream().filter(Machine::isDeleting).toList();
            return d.size() == 2 ? d : null;
        });
        List<String> byName = machines("burst").stream().map(m -> m.getMetadata().getName()).sorted().toList();
        assertEquals(byName.subList(0, 2), deleting.stream().map(m -> m.getMetadata().getName()).sorted().toList(),
                "machines without a node rank alike, so names decide");
    }

    @Test
    void objectsWhoseOwnersAreGoneAreCollected() throws Exception {
        KilnConfig config = new KilnConfig();
        config.setMetadata(meta("orphan-owner"));
        config.setSpec(new KilnConfigSpec());
        config = client.resource(config).create();
        client.resource(new SecretBuilder().withMetadata(new ObjectMetaBuilder().withName("orphan").withNamespace("default")
                .withOwnerReferences(Owners.controller(config)).build()).build()).create();
        client.resource(config).delete();
        await("secret collected", () -> client.secrets().inNamespace("default").withName("orphan").get() == null);
        assertNull(client.secrets().inNamespace("default").withName("orphan").get());
    }
}
