package dev.kiln.capi.controlplane;

import static dev.kiln.capi.controlplane.ControlPlaneWorld.CLUSTER;
import static dev.kiln.capi.controlplane.ControlPlaneWorld.CONTROL_PLANE;
import static dev.kiln.capi.controlplane.ControlPlaneWorld.NAMESPACE;
import static dev.kiln.capi.controlplane.ControlPlaneWorld.letSeveralPassesRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.bootstrap.v1alpha1.ConfigPatch;
import dev.kiln.capi.api.bootstrap.v1alpha1.GenerateType;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.PatchOp;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.ContractVersionedRef;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneStatus;
import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KilnControlPlaneReconcilerTest {

    /** An instance field: a fresh mock API server for every test. */
    KubernetesClient client;

    private ControlPlaneWorld world;

    @BeforeEach
    void createWorld() {
        world = ControlPlaneWorld.create(client);
    }

    @AfterEach
    void stopWorld() {
        world.close();
    }

    @Test
    void aControlPlaneAdoptedByItsClusterAfterItsFirstPassIsReconciledAtOnceWithoutAResync() throws Exception {
        world.startWithoutResync();
        world.createUnadoptedControlPlane(3);
        world.awaitDecision("waiting for its Cluster", decision -> decision.contains("no owner Cluster found"));

        world.adoptByCluster();

        world.awaitMachines("the first machine, created on the adoption's event", m -> !m.isEmpty());
    }

    @Test
    void createsTheFirstMachineWithLabelsOwnersAndRefs() throws Exception {
        world.start();
        KilnControlPlane controlPlane = world.createControlPlane(3);

        Machine machine = world.awaitMachines("the first machine", m -> !m.isEmpty()).get(0);
        String name = machine.getMetadata().getName();
        world.awaitMachines("its KilnConfig and KilnMachine", m ->
                client.resources(KilnConfig.class).inNamespace(NAMESPACE).withName(name).get() != null
                && client.resources(KilnMachine.class).inNamespace(NAMESPACE).withName(name).get() != null);

        assertTrue(name.matches(CONTROL_PLANE + "-[a-z0-9]{5}"), name);
        assertEquals(Map.of(KilnLabels.CLUSTER_NAME, CLUSTER, Machine.CONTROL_PLANE_LABEL, "",
                MachineFactory.CONTROL_PLANE_NAME_LABEL, CONTROL_PLANE, "team", "platform"),
                machine.getMetadata().getLabels());
        assertEquals(ConfigHash.of(controlPlane.getSpec(), client.getKubernetesSerialization()),
                machine.getMetadata().getAnnotations().get(ConfigHash.ANNOTATION));
        assertEquals(KilnLabels.HOOK_OWNER, machine.getMetadata().getAnnotations().get(KilnLabels.ETCD_HOOK));
        assertControlledBy(machine.getMetadata().getOwnerReferences(), "KilnControlPlane", CONTROL_PLANE,
                controlPlane.getMetadata().getUid());
        assertEquals(CLUSTER, machine.getSpec().getClusterName());
        assertEquals(ControlPlaneWorld.VERSION, machine.getSpec().getVersion());
        assertEquals("bootstrap.cluster.x-k8s.io/v1alpha1",
                machine.getSpec().getBootstrap().getConfigRef().getApiVersion());
        assertEquals("KilnConfig", machine.getSpec().getBootstrap().getConfigRef().getKind());
        assertEquals(name, machine.getSpec().getBootstrap().getConfigRef().getName());
        assertEquals(KilnCluster.GROUP + "/v1alpha1", machine.getSpec().getInfrastructureRef().getApiVersion());
        assertEquals("KilnMachine", machine.getSpec().getInfrastructureRef().getKind());
        assertEquals(name, machine.getSpec().getInfrastructureRef().getName());

        KilnConfig config = client.resources(KilnConfig.class).inNamespace(NAMESPACE).withName(name).get();
        assertEquals(GenerateType.CONTROLPLANE.wireName(), config.getSpec().getGenerateType());
        assertEquals(controlPlane.getSpec().getControlPlaneConfig().getStrategicPatches(),
                config.getSpec().getStrategicPatches());
        assertEquals(CLUSTER, config.getMetadata().getLabels().get(KilnLabels.CLUSTER_NAME));
        assertEquals("platform", config.getMetadata().getLabels().get("team"), "the machine template's label");
        assertControlledBy(config.getMetadata().getOwnerReferences(), "Machine", name, machine.getMetadata().getUid());

        KilnMachine kilnMachine = client.resources(KilnMachine.class).inNamespace(NAMESPACE).withName(name).get();
        assertEquals(Map.of("role", "control-plane"), kilnMachine.getSpec().getServerSelector().getMatchLabels());
        assertEquals(ControlPlaneWorld.TEMPLATE,
                kilnMachine.getMetadata().getAnnotations().get(MachineFactory.CLONED_FROM_NAME));
        assertEquals(CLUSTER, kilnMachine.getMetadata().getLabels().get(KilnLabels.CLUSTER_NAME));
        assertEquals("bare-metal", kilnMachine.getMetadata().getLabels().get("hardware"),
                "the KilnMachineTemplate's spec.template.metadata label");
        assertEquals("platform", kilnMachine.getMetadata().getLabels().get("team"),
                "the machine template's label goes over the KilnMachineTemplate's");
        assertControlledBy(kilnMachine.getMetadata().getOwnerReferences(), "Machine", name,
                machine.getMetadata().getUid());
    }

    @Test
    void givesItsMachineTemplateAnOwnerReferenceToTheClusterSoClusterctlMoveTakesIt() throws Exception {
        world.start();
        world.createControlPlane(3);

        world.awaitMachines("the first machine", m -> !m.isEmpty());

        var owners = client.resources(KilnMachineTemplate.class).inNamespace(NAMESPACE)
                .withName(ControlPlaneWorld.TEMPLATE).get().getMetadata().getOwnerReferences();
        assertEquals(List.of(List.of("Cluster", CLUSTER, world.cluster.getMetadata().getUid())), owners.stream()
                .map(ref -> List.of(ref.getKind(), ref.getName(), ref.getUid())).toList());
    }

    @Test
    void createsEveryMachineAtOnceBeforeAnyIsProvisioned() throws Exception {
        world.start();
        world.createControlPlane(3);

        world.awaitMachines("all three machines", m -> m.size() == 3);
        KilnControlPlane waiting = world.awaitDecision("a wait for the machines to join", d -> d.contains("has not joined"));

        assertEquals(3, world.machines().size());
        assertCondition(waiting, ControlPlaneStatusCalculator.BOOTSTRAP_RECORDED, Conditions.FALSE, "NotRecorded");
    }

    @Test
    void formsWithEveryMachineJoiningAfterTheFirstBootstraps() throws Exception {
        world.start();
        world.createControlPlane(3);
        List<String> machines = world.awaitMachines("all three machines", m -> m.size() == 3).stream()
                .map(m -> m.getMetadata().getName()).sorted().toList();
        world.provision(machines.get(0));
        world.bootstrap(machines.get(0));
        world.completeBootstrapRecord(machines.get(0));
        world.provision(machines.get(1));
        world.provision(machines.get(2));
        for (int step = 0; step < 4; step++) {
            world.nodes.settle(); // one learner added or promoted per step, as etcd admits one learner at a time
        }
        world.awaitDecision("steady at three", d -> d.startsWith("Steady"));
        assertEquals(3, world.machines().size());
    }

    @Test
    void refusesEvenReplicasWithAConditionAndChangesNothing() throws Exception {
        world.start();
        world.createControlPlane(1);
        world.growTo(1);
        List<String> before = world.liveMachineNames();

        world.setReplicas(2);
        KilnControlPlane refused = world.awaitDecision("the refusal", d -> d.startsWith("RefuseEvenReplicas"));
        letSeveralPassesRun();

        Condition resized = assertCondition(refused, ControlPlaneStatusCalculator.RESIZED, Conditions.FALSE,
                "EvenReplicas");
        assertCondition(refused, KstatusConditions.STALLED, Conditions.TRUE, "EvenReplicas");
        assertCondition(refused, KstatusConditions.READY, Conditions.FALSE, "EvenReplicas");
        assertTrue(Conditions.get(refused.getStatus(), KstatusConditions.RECONCILING).isEmpty());
        assertTrue(resized.getMessage().startsWith("spec.replicas: replicas 2 is even"), resized.getMessage());
        assertTrue(resized.getMessage().contains("1, 3, 5"), resized.getMessage());
        assertEquals(before, world.liveMachineNames());
        assertEquals(1, world.machines().size());
        List<Event> warnings = world.events("EvenReplicas");
        assertEquals(1, warnings.size(), "one event for the decision, not one per pass");
        assertEquals("Warning", warnings.get(0).getType());
    }

    @Test
    void refusesZeroReplicasAsEven() throws Exception {
        world.start();
        world.createControlPlane(0);

        KilnControlPlane refused = world.awaitDecision("the refusal", d -> d.startsWith("RefuseEvenReplicas"));
        letSeveralPassesRun();

        Condition resized = assertCondition(refused, ControlPlaneStatusCalculator.RESIZED, Conditions.FALSE,
                "EvenReplicas");
        assertTrue(resized.getMessage().contains("replicas 0"), resized.getMessage());
        assertTrue(world.machines().isEmpty());
    }

    @Test
    void scaleDownPicksAnnotatedThenOutdatedThenOldest() throws Exception {
        world.spreadCreationSeconds = true;
        world.start();
        world.createControlPlane(5);
        world.growTo(5);
        List<String> oldestFirst = world.liveMachineNames();
        String annotated = oldestFirst.get(2);
        String outdated = oldestFirst.get(4);
        world.editMachine(annotated, m -> {
            m.getMetadata().getAnnotations().put(Machine.DELETE_MACHINE_ANNOTATION, "yes");
            return m;
        });

        world.setReplicas(1);
        // Marked outdated only now: at five replicas an outdated machine would be replaced rather than removed.
        world.awaitMachines("the first scale down", m -> world.machine(annotated).isDeleting());
        world.editMachine(outdated, m -> {
            m.getMetadata().getAnnotations().put(ConfigHash.ANNOTATION, "stale");
            return m;
        });
        world.runUntil("one machine left", () -> world.settledAt(1));

        assertEquals(List.of(annotated, outdated, oldestFirst.get(0), oldestFirst.get(1)), world.deletionOrder());
        assertEquals(List.of(oldestFirst.get(3)), world.liveMachineNames());
    }

    @Test
    void theNewestMachineDeletedIsReplacedUnderANewName() throws Exception {
        world.spreadCreationSeconds = true;
        world.start();
        world.createControlPlane(3);
        world.growTo(3);
        List<String> oldestFirst = world.liveMachineNames();
        String newest = oldestFirst.get(2);

        client.resources(Machine.class).inNamespace(NAMESPACE).withName(newest).delete();
        world.runUntil("a replacement of " + newest, () -> world.settledAt(3)
                && !world.liveMachineNames().contains(oldestFirst.get(2)), java.time.Duration.ofSeconds(60));

        List<String> after = world.liveMachineNames();
        assertEquals(oldestFirst.subList(0, 2), after.subList(0, 2));
        assertFalse(oldestFirst.contains(after.get(2)), "the replacement took a deleted machine's name: " + after);
    }

    @Test
    void forfeitsLeadershipBeforeDeletingTheLeadersMachine() throws Exception {
        world.spreadCreationSeconds = true;
        ForfeitWitness[] witness = new ForfeitWitness[1];
        world.start(nodes -> witness[0] = new ForfeitWitness(nodes, address -> world.liveMachineNames().stream()
                .anyMatch(name -> address.equals(world.address(name)))));
        world.createControlPlane(3);
        world.growTo(3);
        String leader = world.liveMachineNames().get(0);
        assertEquals(world.nodes.memberIds().get(0), world.memberId(leader), "the first member leads in memory");
        assertTrue(witness[0].forfeits().isEmpty());

        world.setReplicas(1);
        world.awaitMachines("the leader's machine deleting", m -> world.machine(leader).isDeleting());

        assertEquals(List.of(new ForfeitWitness.Forfeit(world.address(leader), true)), witness[0].forfeits());
        world.runUntil("the ScalingDown event, written after the deletion", () -> !world.events("ScalingDown").isEmpty());
        String decision = world.events("ScalingDown").get(0).getMessage();
        assertTrue(decision.matches(".*moved etcd leadership away from " + leader + "( to [a-z0-9-]+)?, then deleted "
                + "machine " + leader + " .*"), decision);
    }

    @Test
    void takesNoActionWhileAMachineIsDeleting() throws Exception {
        world.start();
        world.createControlPlane(1);
        world.growTo(1);
        String only = world.liveMachineNames().get(0);
        client.resources(Machine.class).inNamespace(NAMESPACE).withName(only).delete();

        world.setReplicas(3);
        world.awaitDecision("a wait for the deletion", d -> d.contains(only + " is being deleted"));
        letSeveralPassesRun();

        assertEquals(1, world.machines().size());
        assertTrue(world.machine(only).isDeleting());
    }

    @Test
    void rollsOutAVersionChangeOneMachineAtATimeCreatingFirstWithMaxSurgeOne() throws Exception {
        List<Integer> counts = rollOutVersionChangeOfThree(1);
        assertEquals(4, firstChange(counts, 3), "the replacement is created before anything is deleted");
        assertEquals(4, max(counts));
        assertEquals(3, min(counts));
    }

    @Test
    void rollsOutAVersionChangeDeletingFirstWithMaxSurgeZero() throws Exception {
        List<Integer> counts = rollOutVersionChangeOfThree(0);
        assertEquals(2, firstChange(counts, 3), "an outdated machine is deleted before its replacement is created");
        assertEquals(3, max(counts));
        assertEquals(2, min(counts));
    }

    /**
     * Grows to three machines, changes the version and waits until all three run it; checks that one machine changed
     * at a time and none of the old ones is left, and returns the live-machine counts seen during the rollout.
     */
    private List<Integer> rollOutVersionChangeOfThree(int maxSurge) throws Exception {
        world.start();
        world.createControlPlane(3);
        world.growTo(3);
        // RollingUpdate replaces machines for a new version; the default, InPlace, installs it instead.
        world.setMaxSurge(maxSurge);
        List<String> before = world.liveMachineNames();
        int stepsBefore = world.liveCounts().size();

        world.editSpec(spec -> spec.setVersion("v1.32.0"));
        world.runUntil("three machines on v1.32.0", () -> world.settledAt(3) && allOnVersion("v1.32.0"),
                java.time.Duration.ofSeconds(60));

        List<Integer> counts = world.liveCounts().subList(stepsBefore, world.liveCounts().size());
        assertOneChangeAtATime(counts);
        assertTrue(world.liveMachineNames().stream().noneMatch(before::contains), world.liveMachineNames().toString());
        return counts;
    }

    @Test
    void spreadsMachinesOverTheControlPlaneFailureDomainsAndKeepsThemSpreadThroughARollout() throws Exception {
        world.setFailureDomains(Map.of("zone-a", true, "zone-b", true, "zone-c", true, "workers", false));
        world.start();
        world.createControlPlane(3);
        world.growTo(3);
        assertEquals(List.of("zone-a", "zone-b", "zone-c"), liveFailureDomains());

        world.setMaxSurge(1);
        world.editSpec(spec -> spec.setVersion("v1.32.0"));
        world.runUntil("three machines on v1.32.0", () -> world.settledAt(3) && allOnVersion("v1.32.0"),
                java.time.Duration.ofSeconds(60));
        assertEquals(List.of("zone-a", "zone-b", "zone-c"), liveFailureDomains());
    }

    @Test
    void templateMetadataChangesReachMachinesKilnMachinesAndKilnConfigsInPlace() throws Exception {
        world.start();
        world.createControlPlane(1);
        world.growTo(1);
        Machine before = world.liveMachines().get(0);
        String name = before.getMetadata().getName();

        world.editSpec(spec -> {
            TemplateMetadata metadata = new TemplateMetadata();
            metadata.setLabels(Map.of("tier", "gold"));
            metadata.setAnnotations(Map.of("owner", "ops"));
            spec.getMachineTemplate().setMetadata(metadata);
        });
        world.runUntil("tier=gold on the Machine, KilnMachine and KilnConfig", () -> Stream.of(world.machine(name),
                client.resources(KilnMachine.class).inNamespace(NAMESPACE).withName(name).get(),
                client.resources(KilnConfig.class).inNamespace(NAMESPACE).withName(name).get())
                .allMatch(o -> "gold".equals(o.getMetadata().getLabels().get("tier"))
                        && !o.getMetadata().getLabels().containsKey("team")
                        && "ops".equals(o.getMetadata().getAnnotations().get("owner"))));

        Machine after = world.machine(name);
        assertEquals(before.getMetadata().getUid(), after.getMetadata().getUid(), "the same Machine");
        assertEquals(List.of(name), world.liveMachineNames());
        assertEquals(before.getMetadata().getAnnotations().get(ConfigHash.ANNOTATION),
                after.getMetadata().getAnnotations().get(ConfigHash.ANNOTATION), "not outdated");
        assertEquals("", after.getMetadata().getLabels().get(Machine.CONTROL_PLANE_LABEL));
        assertFalse(world.events("TemplateMetadataApplied").isEmpty());
    }

    private List<String> liveFailureDomains() {
        return world.liveMachines().stream().map(m -> m.getSpec().getFailureDomain()).sorted().toList();
    }

    @Test
    void reportsCountsAndConditionsWithObservedGeneration() throws Exception {
        world.start();
        world.createControlPlane(3);
        world.growTo(3);

        KilnControlPlane controlPlane = world.controlPlane();
        KilnControlPlaneStatus status = controlPlane.getStatus();
        long generation = controlPlane.getMetadata().getGeneration();
        assertEquals("cluster.x-k8s.io/cluster-name=c1,cluster.x-k8s.io/control-plane", status.getSelector());
        assertEquals(3, status.getReplicas());
        assertEquals(3, status.getReadyReplicas());
        assertEquals(3, status.getAvailableReplicas());
        assertEquals(0, status.getUnavailableReplicas());
        assertEquals(3, status.getUpdatedReplicas());
        assertEquals(3, status.getUpToDateReplicas());
        // The version the nodes report running, not the one the spec names (the in-memory nodes run v0.1.0).
        assertEquals("v0.1.0", status.getVersion());
        assertEquals(List.of("v0.1.0=3"), status.getVersions().stream()
                .map(v -> v.getVersion() + "=" + v.getReplicas()).toList());
        assertEquals(Boolean.TRUE, status.getInitialized());
        assertEquals(Boolean.TRUE, status.getInitialization().getControlPlaneInitialized());
        assertEquals(Boolean.TRUE, status.getReady());
        assertEquals(generation, status.getObservedGeneration());
        for (String type : List.of(ControlPlaneStatusCalculator.ETCD_CLUSTER_HEALTHY,
                ControlPlaneStatusCalculator.MACHINES_READY, ControlPlaneStatusCalculator.AVAILABLE,
                ControlPlaneStatusCalculator.RESIZED, ControlPlaneStatusCalculator.BOOTSTRAP_RECORDED)) {
            Condition condition = Conditions.get(status, type).orElseThrow(() -> new AssertionError("no " + type));
            assertEquals(Conditions.TRUE, condition.getStatus(), condition.toString());
            assertEquals(generation, condition.getObservedGeneration(), condition.toString());
        }
    }

    @Test
    void reportsAnUnhealthyMemberInCountsAndConditions() throws Exception {
        world.start();
        world.createControlPlane(3);
        world.growTo(3);
        String crashed = world.liveMachineNames().get(2);

        world.nodes.crash(world.address(crashed));
        KilnControlPlane degraded = world.harnessAwait("two ready replicas",
                cp -> Integer.valueOf(2).equals(cp.getStatus().getReadyReplicas()));

        assertEquals(3, degraded.getStatus().getReplicas());
        assertEquals(1, degraded.getStatus().getUnavailableReplicas());
        Condition etcd = assertCondition(degraded, ControlPlaneStatusCalculator.ETCD_CLUSTER_HEALTHY,
                Conditions.FALSE, "MembersUnhealthy");
        assertTrue(etcd.getMessage().contains(crashed), etcd.getMessage());
        assertCondition(degraded, ControlPlaneStatusCalculator.AVAILABLE, Conditions.TRUE, "Available");
    }

    @Test
    void namesABadInfrastructureRefInAConditionAndCreatesNoMachine() throws Exception {
        world.start();
        world.createControlPlane(1, new ContractVersionedRef(KilnCluster.GROUP, "KilnMachineTemplate", "missing"));

        KilnControlPlane refused = world.harnessAwait("an InvalidInfrastructureRef condition",
                cp -> cp.getStatus() != null
                && Conditions.get(cp.getStatus(), ControlPlaneStatusCalculator.RESIZED)
                        .map(c -> "InvalidInfrastructureRef".equals(c.getReason())).orElse(false));
        letSeveralPassesRun();

        Condition resized = assertCondition(refused, ControlPlaneStatusCalculator.RESIZED, Conditions.FALSE,
                "InvalidInfrastructureRef");
        assertTrue(resized.getMessage().contains("spec.machineTemplate.spec.infrastructureRef"), resized.getMessage());
        assertTrue(resized.getMessage().contains("missing"), resized.getMessage());
        assertTrue(world.machines().isEmpty());
        assertTrue(client.resources(KilnConfig.class).inNamespace(NAMESPACE).list().getItems().isEmpty());
        assertEquals("Warning", world.events("InvalidInfrastructureRef").get(0).getType());
    }

    @Test
    void refusesAMalformedControlPlaneConfigPatchAndReplacesNoMachine() throws Exception {
        world.start();
        world.createControlPlane(3);
        world.growTo(3);
        world.setMaxSurge(0);
        List<String> before = world.liveMachineNames();

        world.editSpec(spec -> spec.getControlPlaneConfig().setConfigPatches(List.of(new ConfigPatch(PatchOp.REPLACE,
                "machine.install.disk", Serialization.jsonMapper().valueToTree("/dev/vdb")))));
        KilnControlPlane refused = world.awaitDecision("the refusal", d -> d.startsWith("RefuseInvalidSpec"));
        letSeveralPassesRun();

        Condition resized = assertCondition(refused, ControlPlaneStatusCalculator.RESIZED, Conditions.FALSE,
                "InvalidSpec");
        assertCondition(refused, KstatusConditions.STALLED, Conditions.TRUE, "InvalidSpec");
        assertTrue(resized.getMessage().startsWith("spec.controlPlaneConfig.configPatches[0].path: "),
                resized.getMessage());
        assertEquals(before, world.liveMachineNames());
        assertEquals(3, world.machines().size(), "no machine deleting");
        assertEquals("Warning", world.events("InvalidSpec").get(0).getType());
    }

    @Test
    void refusesAMissingInfrastructureRefAndResumesOnceItIsBack() throws Exception {
        world.start();
        world.createControlPlane(3);
        world.growTo(3);
        world.setMaxSurge(0);
        List<String> before = world.liveMachineNames();
        ContractVersionedRef ref = world.controlPlane().getSpec().getMachineTemplate().getSpec().getInfrastructureRef();

        world.editSpec(spec -> spec.getMachineTemplate().getSpec().setInfrastructureRef(null));
        KilnControlPlane refused = world.awaitDecision("the refusal", d -> d.startsWith("RefuseInvalidSpec"));
        letSeveralPassesRun();

        Condition resized = assertCondition(refused, ControlPlaneStatusCalculator.RESIZED, Conditions.FALSE,
                "InvalidSpec");
        assertTrue(resized.getMessage().startsWith("spec.machineTemplate.spec.infrastructureRef is not set"),
                resized.getMessage());
        assertEquals(before, world.liveMachineNames());
        assertEquals(3, world.machines().size(), "no machine deleting");

        world.editSpec(spec -> spec.getMachineTemplate().getSpec().setInfrastructureRef(ref));
        KilnControlPlane resumed = world.harnessAwait("Resized=True again", cp -> cp.getStatus() != null
                && Conditions.isTrue(cp.getStatus(), ControlPlaneStatusCalculator.RESIZED)
                && cp.getMetadata().getGeneration().equals(cp.getStatus().getObservedGeneration()));
        assertCondition(resumed, ControlPlaneStatusCalculator.RESIZED, Conditions.TRUE, "AtDesiredReplicas");
        assertEquals(before, world.liveMachineNames());
    }

    @Test
    void leavesAPausedClusterAlone() throws Exception {
        world.setPaused(true);
        world.start();
        world.createControlPlane(1);
        KilnControlPlane paused = world.harnessAwait("Paused=True",
                cp -> cp.getStatus() != null && Conditions.isTrue(cp.getStatus(), KstatusConditions.PAUSED));
        letSeveralPassesRun();

        assertTrue(world.machines().isEmpty());
        assertTrue(Conditions.get(world.controlPlane().getStatus(), KstatusConditions.READY).isEmpty());
        assertEquals(paused.getMetadata().getGeneration(), paused.getStatus().getObservedGeneration());

        world.setPaused(false);
        world.awaitMachines("a machine once the cluster is unpaused", m -> m.size() == 1);
        KilnControlPlane unpaused = world.harnessAwait("Paused=False NotPaused", cp -> Conditions
                .get(cp.getStatus(), KstatusConditions.PAUSED).map(c -> c.getReason().equals("NotPaused")).orElse(false));
        assertEquals(Conditions.FALSE, Conditions.get(unpaused.getStatus(), KstatusConditions.PAUSED).get().getStatus());
    }

    @Test
    void thePausedAnnotationOnTheControlPlaneAloneStopsIt() throws Exception {
        world.start();
        world.createControlPlane(1);
        world.growTo(1);
        List<String> before = world.liveMachineNames();

        client.resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CONTROL_PLANE).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"cluster.x-k8s.io/paused\":\"\"}}}");
        world.harnessAwait("Paused=True",
                cp -> cp.getStatus() != null && Conditions.isTrue(cp.getStatus(), KstatusConditions.PAUSED));
        world.setReplicas(3);
        KilnControlPlane paused = world.harnessAwait("observedGeneration of replicas 3",
                cp -> cp.getMetadata().getGeneration().equals(cp.getStatus().getObservedGeneration()));
        letSeveralPassesRun();

        assertEquals(before, world.liveMachineNames());
        assertTrue(Conditions.isTrue(paused.getStatus(), KstatusConditions.PAUSED));
    }

    @Test
    void isReadyOnlyWithEveryMachineAvailableAndStaysReconcilingUntilThen() throws Exception {
        world.start();
        world.createControlPlane(3);
        KilnControlPlane growing = world.harnessAwait("Reconciling=True",
                cp -> cp.getStatus() != null && Conditions.isTrue(cp.getStatus(), KstatusConditions.RECONCILING));
        assertEquals(Conditions.FALSE, Conditions.get(growing.getStatus(), KstatusConditions.READY).get().getStatus());

        world.growTo(3);
        KilnControlPlane ready = world.harnessAwait("Ready=True",
                cp -> Conditions.isTrue(cp.getStatus(), KstatusConditions.READY));
        assertEquals(ControlPlaneReadiness.READY_REASON,
                Conditions.get(ready.getStatus(), KstatusConditions.READY).get().getReason());
        assertTrue(Conditions.get(ready.getStatus(), KstatusConditions.RECONCILING).isEmpty());
        assertTrue(Conditions.get(ready.getStatus(), KstatusConditions.STALLED).isEmpty());
    }

    @Test
    void followsTheScaleSubresource() throws Exception {
        world.start();
        world.createControlPlane(1);
        world.growTo(1);

        client.resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CONTROL_PLANE).scale(3);
        world.growTo(3);

        assertEquals(3, world.controlPlane().getSpec().getReplicas());
        assertEquals(3, world.controlPlane().getStatus().getReplicas());
        var scale = client.resources(KilnControlPlane.class).inNamespace(NAMESPACE).withName(CONTROL_PLANE).scale();
        assertNotNull(scale);
        assertEquals(3, scale.getSpec().getReplicas());
    }

    // ---- helpers

    private boolean allOnVersion(String version) {
        return world.liveMachines().stream().allMatch(m -> version.equals(m.getSpec().getVersion()));
    }

    /** The one machine not among {@code known}; creation timestamps have whole seconds, so age cannot tell. */
    private static String newcomer(List<Machine> machines, List<String> known) {
        List<String> fresh = machines.stream().map(m -> m.getMetadata().getName()).filter(n -> !known.contains(n))
                .toList();
        assertEquals(1, fresh.size(), "new machines: " + fresh);
        return fresh.get(0);
    }

    private static void assertControlledBy(List<OwnerReference> owners, String kind, String name, String uid) {
        OwnerReference controller = owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
                .orElseThrow(() -> new AssertionError("no controller owner in " + owners));
        assertEquals(kind, controller.getKind());
        assertEquals(name, controller.getName());
        assertEquals(uid, controller.getUid());
    }

    private static Condition assertCondition(KilnControlPlane controlPlane, String type, String status, String reason) {
        Condition condition = Conditions.get(controlPlane.getStatus(), type)
                .orElseThrow(() -> new AssertionError("no condition " + type));
        assertEquals(status, condition.getStatus(), condition.toString());
        assertEquals(reason, condition.getReason(), condition.toString());
        assertEquals(controlPlane.getMetadata().getGeneration(), condition.getObservedGeneration(),
                condition.toString());
        return condition;
    }

    private static int firstChange(List<Integer> counts, int from) {
        return counts.stream().filter(c -> c != from).findFirst().orElseThrow(() -> new AssertionError(
                "the machine count never changed: " + counts));
    }

    private static int max(List<Integer> counts) {
        return counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    private static int min(List<Integer> counts) {
        return counts.stream().mapToInt(Integer::intValue).min().orElseThrow();
    }

    private static void assertOneChangeAtATime(List<Integer> counts) {
        for (int i = 1; i < counts.size(); i++) {
            assertTrue(Math.abs(counts.get(i) - counts.get(i - 1)) <= 1, "two changes between steps: " + counts);
        }
        assertFalse(counts.isEmpty());
    }
}
