package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.cluster.KilnServerAddress;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.MachineAddressType;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.node.InMemoryNodes;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KilnMachineReconcilerTest {

    static final String FINGERPRINT_1 = "1".repeat(64);
    static final String FINGERPRINT_2 = "2".repeat(64);
    static final String FINGERPRINT_3 = "3".repeat(64);
    static final String NS = MachineWorld.NAMESPACE;
    static final Duration POLL = Duration.ofMillis(300);

    KubernetesClient client;

    private RecordingNodes nodes;
    private MachineWorld world;
    private OperatorHarness harness;

    @BeforeEach
    void start() {
        nodes = new RecordingNodes();
        world = new MachineWorld(client);
        world.installCrds();
        harness = startReconciler(KilnMachineReconciler.UNREACHABLE_GIVE_UP);
    }

    private OperatorHarness startReconciler(Duration unreachableGiveUp) {
        return OperatorHarness.start(client, List.of(new KilnMachineReconciler(client, nodes,
                new KilnEvents(client, "kilnmachine", Clock.systemUTC()), Clock.systemUTC(), POLL,
                unreachableGiveUp)));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private KilnMachine await(String machine, String what, Predicate<KilnMachine> condition) throws Exception {
        try {
            return harness.await(KilnMachine.class, NS, machine, what, condition);
        } catch (AssertionError e) {
            KilnMachine last = world.kilnMachine(machine);
            throw new AssertionError(e.getMessage() + "; conditions: "
                    + (last == null || last.getStatus() == null ? "none" : last.getStatus().getConditions()), e);
        }
    }

    private KilnMachine awaitReady(String machine) throws Exception {
        return await(machine, "ready", m -> m.getStatus() != null && Boolean.TRUE.equals(m.getStatus().getReady()));
    }

    private static Predicate<KilnMachine> conditionReason(String type, String reason) {
        return m -> m.getStatus() != null && Conditions.get(m.getStatus(), type)
                .map(c -> reason.equals(c.getReason())).orElse(false);
    }

    private static Condition condition(KilnMachine machine, String type) {
        return Conditions.get(machine.getStatus(), type).orElseThrow(() -> new AssertionError("no condition " + type));
    }

    private List<ConfigMap> claims() {
        return client.configMaps().inNamespace(NS).list().getItems().stream()
                .filter(map -> map.getMetadata().getName().startsWith(KilnLabels.serverClaimName(""))).toList();
    }

    private boolean eventRecorded(String machine, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> machine.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()));
    }

    private InMemoryNodes.Node addNode(String address, String fingerprint) {
        return nodes.nodes.add(address, fingerprint);
    }

    /** One worker machine m1, provisioned on server s1 whose node answers at 10.0.0.1:50000. */
    private void readyWorkerOnServerS1() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        world.machine("m1", false, null);
        awaitReady("m1");
    }

    @Test
    void claimsAFreeCleanServerMatchingTheSelectorAndSkipsInUseDirtyAndNonMatchingOnes() throws Exception {
        world.cluster(false);
        Map<String, String> rack = Map.of("rack", "r1");
        world.server("s1-in-use", "10.0.0.1:50000", FINGERPRINT_1, rack, true, true);
        world.server("s2-dirty", "10.0.0.2:50000", FINGERPRINT_1, rack, false, false);
        world.server("s3-other-rack", "10.0.0.3:50000", FINGERPRINT_1, Map.of("rack", "r2"), true, false);
        world.server("s5-match", "10.0.0.5:50000", FINGERPRINT_1, rack, true, false);
        world.server("s4-match", "10.0.0.4:50000", FINGERPRINT_1, rack, true, false);
        addNode("10.0.0.4:50000", FINGERPRINT_1);
        KilnMachine created = world.machine("m1", false, new LabelSelectorBuilder().withMatchLabels(rack).build());

        KilnMachine claimed = await("m1", "a serverRef", m -> m.getStatus() != null && m.getStatus().getServerRef() != null);

        assertEquals("s4-match", claimed.getStatus().getServerRef().getName());
        KilnServer server = world.server("s4-match");
        assertEquals(Boolean.TRUE, server.getStatus().getInUse());
        assertEquals(created.getMetadata().getUid(), server.getStatus().getMachineRef().getUid());
        assertEquals("m1", server.getStatus().getMachineRef().getName());
        ConfigMap claim = client.configMaps().inNamespace(NS).withName("kiln-claim-s4-match").get();
        assertEquals(Map.of("namespace", NS, "name", "m1", "cluster", MachineWorld.CLUSTER, "uid",
                created.getMetadata().getUid()), claim.getData());
        assertEquals(MachineWorld.CLUSTER, claim.getMetadata().getLabels().get(KilnLabels.CLUSTER_NAME));
        assertEquals("KilnMachine", claim.getMetadata().getOwnerReferences().get(0).getKind());
        assertEquals(created.getMetadata().getUid(), claim.getMetadata().getOwnerReferences().get(0).getUid());
        assertEquals(1, claims().size());
        assertEquals(Boolean.FALSE, world.server("s5-match").getStatus().getInUse());
        assertTrue(eventRecorded("m1", "ServerClaimed"));
    }

    @Test
    void twoMachinesNeverGetTheSameServer() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        world.machine("m1", false, null);
        world.machine("m2", false, null);

        Predicate<KilnMachine> decided = m -> m.getStatus() != null
                && (m.getStatus().getServerRef() != null
                        || conditionReason(MachineConditions.SERVER_CLAIMED, "NoServerAvailable").test(m));
        KilnMachine first = await("m1", "a claim or no server", decided);
        KilnMachine second = await("m2", "a claim or no server", decided);
        Thread.sleep(10 * POLL.toMillis());

        first = world.kilnMachine("m1");
        second = world.kilnMachine("m2");
        boolean firstHolds = first.getStatus().getServerRef() != null;
        boolean secondHolds = second.getStatus().getServerRef() != null;
        assertNotEquals(firstHolds, secondHolds, "exactly one machine holds the only server");
        KilnMachine loser = firstHolds ? second : first;
        assertEquals(Conditions.FALSE, condition(loser, MachineConditions.SERVER_CLAIMED).getStatus());
        assertEquals(1, claims().size());
        assertEquals((firstHolds ? first : second).getMetadata().getUid(),
                world.server("s1").getStatus().getMachineRef().getUid());
    }

    @Test
    void appliesTheConfigInMaintenancePinnedToTheServerFingerprint() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        world.machine("w1", false, null);

        awaitReady("w1");

        List<RecordingNodes.Applied> applied = nodes.appliedTo("10.0.0.1:50000");
        assertEquals(1, applied.size());
        assertEquals(new NodeCredentials.Maintenance(FINGERPRINT_1), applied.get(0).credentials());
        assertEquals(world.bootstrapYaml("w1", false), applied.get(0).config(), "worker configs go as written");
        assertFalse(nodes.nodes.node("10.0.0.1:50000").maintenance());
    }

    @Test
    void sendsNoConfigToANodeThatDoesNotShowThePinnedFingerprint() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_2);
        world.machine("w1", false, null);

        KilnMachine waiting = await("w1", "a node condition",
                m -> m.getStatus() != null && Conditions.get(m.getStatus(), MachineConditions.PROVISIONED)
                        .map(c -> c.getMessage().contains("fingerprint mismatch")).orElse(false));

        assertTrue(nodes.applied().isEmpty());
        assertTrue(nodes.nodes.node("10.0.0.1:50000").maintenance());
        assertNotEquals(Boolean.TRUE, waiting.getStatus().getReady());
    }

    @Test
    void sendsEveryConfigAsTheBootstrapDataSecretHoldsIt() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        world.freeServer("s2", "10.0.0.2:50000", FINGERPRINT_2);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.2:50000", FINGERPRINT_2);
        world.machine("cp1", true, null);
        awaitReady("cp1");
        world.machine("cp2", true, null);
        awaitReady("cp2");

        assertEquals(world.bootstrapYaml("cp1", true), nodes.appliedTo("10.0.0.1:50000").get(0).config());
        assertEquals(world.bootstrapYaml("cp2", true), nodes.appliedTo("10.0.0.2:50000").get(0).config(),
                "the bootstrap provider names the etcd peers; this provider adds nothing");
    }

    /** A free, clean server only the machine of that name selects, so which node a machine gets is fixed. */
    private void pinnedServer(String name, String address, String fingerprint, String machine) {
        world.server(name, address, fingerprint, Map.of("for", machine), true, false);
    }

    private static LabelSelector pinnedTo(String machine) {
        return new LabelSelectorBuilder().withMatchLabels(Map.of("for", machine)).build();
    }

    @Test
    void aControlPlaneConfigGoesAsSoonAsItsNodeAnswersWhateverItsSiblingsHold() throws Exception {
        world.clusterWithKilnControlPlane(3);
        pinnedServer("s1", "10.0.0.1:50000", FINGERPRINT_1, "cp1");
        pinnedServer("s2", "10.0.0.2:50000", FINGERPRINT_2, "cp2");
        addNode("10.0.0.1:50000", FINGERPRINT_1).setReachable(false);
        addNode("10.0.0.2:50000", FINGERPRINT_2);
        world.machine("cp1", true, pinnedTo("cp1"));
        world.machine("cp2", true, pinnedTo("cp2"));

        awaitReady("cp2");
        assertEquals(world.bootstrapYaml("cp2", true), nodes.appliedTo("10.0.0.2:50000").get(0).config());
        assertNotEquals(Boolean.TRUE, world.kilnMachine("cp1").getStatus().getReady());
    }

    @Test
    void setsProviderIdAddressesAndReadyOnceTheNodeIsConfigured() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        world.machine("m1", true, null);

        KilnMachine ready = await("m1", "ready at its current generation", m -> m.getStatus() != null
                && Boolean.TRUE.equals(m.getStatus().getReady())
                && m.getMetadata().getGeneration().equals(m.getStatus().getObservedGeneration()));

        assertEquals("kiln://s1", ready.getSpec().getProviderId());
        assertEquals(1, ready.getStatus().getAddresses().size());
        assertEquals(MachineAddressType.INTERNAL_IP, ready.getStatus().getAddresses().get(0).getType());
        assertEquals("10.0.0.1", ready.getStatus().getAddresses().get(0).getAddress());
        assertEquals(Boolean.TRUE, ready.getStatus().getInitialization().getProvisioned());
        for (String type : List.of(MachineConditions.READY, MachineConditions.SERVER_CLAIMED,
                MachineConditions.PROVISIONED)) {
            Condition condition = condition(ready, type);
            assertEquals(Conditions.TRUE, condition.getStatus(), type);
            assertEquals(ready.getMetadata().getGeneration(), condition.getObservedGeneration(), type);
        }
        KilnServer server = world.server("s1");
        assertEquals(Boolean.FALSE, server.getStatus().getMaintenance());
        assertEquals(Boolean.FALSE, server.getStatus().getClean());
        assertEquals(Boolean.TRUE, server.getStatus().getInUse());
        assertTrue(eventRecorded("m1", "Provisioned"));
    }

    @Test
    void isNotReadyWhileTheNodeDoesNotAnswerOverMutualTls() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        nodes.afterApply(address -> nodes.nodes.node(address).setReachable(false));
        world.machine("m1", false, null);

        KilnMachine rebooting = await("m1", "Provisioned=False NodeUnreachable",
                conditionReason(MachineConditions.PROVISIONED, "NodeUnreachable"));
        assertNotEquals(Boolean.TRUE, rebooting.getStatus().getReady());
        assertNull(rebooting.getSpec().getProviderId());
        assertEquals(Boolean.FALSE, world.server("s1").getStatus().getClean(), "a server sent a config is dirty");

        nodes.nodes.node("10.0.0.1:50000").setReachable(true);
        KilnMachine ready = awaitReady("m1");
        assertEquals("kiln://s1", ready.getSpec().getProviderId());
        assertEquals(1, nodes.applied().size());
    }

    @Test
    void aServerWithoutRecordedStateWhoseNodeAnswersInMaintenanceIsRecordedCleanAndClaimed() throws Exception {
        world.cluster(false);
        world.unsurveyedServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        world.machine("m1", false, null);

        awaitReady("m1");

        KilnServer server = world.server("s1");
        assertEquals(Boolean.TRUE, server.getStatus().getInUse());
        assertEquals(Boolean.FALSE, server.getStatus().getClean(), "provisioned since");
        assertEquals("m1", server.getStatus().getMachineRef().getName());
    }

    @Test
    void aServerWithoutRecordedStateWhoseNodeDoesNotAnswerInMaintenanceIsNeverClaimed() throws Exception {
        world.cluster(false);
        world.unsurveyedServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        world.machine("m1", false, null);

        await("m1", "ServerClaimed=False", conditionReason(MachineConditions.SERVER_CLAIMED, "NoServerAvailable"));

        KilnServer server = world.server("s1");
        assertNull(server.getStatus() == null ? null : server.getStatus().getClean(), "no verdict recorded");
        assertTrue(claims().isEmpty());
    }

    @Test
    void waitsWithAConditionWhileNoServerIsFree() throws Exception {
        world.cluster(false);
        world.server("s1", "10.0.0.1:50000", FINGERPRINT_1, Map.of(), true, true);
        world.machine("m1", false, null);

        KilnMachine waiting = await("m1", "ServerClaimed=False",
                conditionReason(MachineConditions.SERVER_CLAIMED, "NoServerAvailable"));
        assertEquals(Conditions.FALSE, condition(waiting, MachineConditions.READY).getStatus());
        assertEquals("NoServerAvailable", condition(waiting, MachineConditions.READY).getReason());
        assertNotEquals(Boolean.TRUE, waiting.getStatus().getReady());
        assertNull(waiting.getStatus().getServerRef());
        assertTrue(claims().isEmpty());

        world.freeServer("s2", "10.0.0.2:50000", FINGERPRINT_2);
        addNode("10.0.0.2:50000", FINGERPRINT_2);
        assertEquals("kiln://s2", awaitReady("m1").getSpec().getProviderId());
    }

    @Test
    void aMachineInAFailureDomainWaitsForAServerOfThatDomainAndSaysWhichAreFreeElsewhere() throws Exception {
        world.cluster(false);
        world.server("a1", "10.0.0.1:50000", FINGERPRINT_1, Map.of(DomainPlacement.ZONE_LABEL, "zone-a"), true,
                false);
        world.machineInDomain("m1", "zone-b");

        KilnMachine waiting = await("m1", "ServerClaimed=False naming zone-b",
                conditionReason(MachineConditions.SERVER_CLAIMED, "NoServerInFailureDomain"));
        assertEquals("no KilnServer in namespace " + MachineWorld.NAMESPACE + " is clean, free, matches "
                + "spec.serverSelector and is in the Machine's failure domain zone-b (label "
                + "topology.kubernetes.io/zone=zone-b); clean, free matching servers outside it: a1 (in zone-a)",
                condition(waiting, MachineConditions.SERVER_CLAIMED).getMessage());
        assertTrue(claims().isEmpty());

        world.server("b1", "10.0.0.2:50000", FINGERPRINT_2, Map.of(DomainPlacement.ZONE_LABEL, "zone-b"), true,
                false);
        addNode("10.0.0.2:50000", FINGERPRINT_2);
        assertEquals("kiln://b1", awaitReady("m1").getSpec().getProviderId());
        assertNotEquals(Boolean.TRUE, world.server("a1").getStatus().getInUse(), "the other domain's server");
    }

    @Test
    void serverWithAMalformedAddressIsNeverClaimedNorDialedAndTheConditionNamesSpecAddress() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "evil.example.com:50000/../x", FINGERPRINT_1);
        world.machine("m1", false, null);

        KilnMachine waiting = await("m1", "ServerClaimed=False naming s1",
                m -> conditionReason(MachineConditions.SERVER_CLAIMED, "NoServerAvailable").test(m)
                        && condition(m, MachineConditions.SERVER_CLAIMED).getMessage().contains("KilnServer s1"));
        assertTrue(condition(waiting, MachineConditions.SERVER_CLAIMED).getMessage()
                .endsWith("not claimed: KilnServer s1 spec.address: " + KilnServerAddress.MESSAGE),
                condition(waiting, MachineConditions.SERVER_CLAIMED).getMessage());
        assertTrue(claims().isEmpty());
        assertEquals(List.of(), nodes.dialed());

        world.freeServer("s2", "10.0.0.2:50000", FINGERPRINT_2);
        addNode("10.0.0.2:50000", FINGERPRINT_2);
        assertEquals("kiln://s2", awaitReady("m1").getSpec().getProviderId());
        assertTrue(nodes.dialed().stream().allMatch("10.0.0.2:50000"::equals), nodes.dialed().toString());
    }

    @Test
    void claimedServerWhoseAddressBecomesMalformedIsNotDialedForTheResetAndTheMachineSaysWhy() throws Exception {
        readyWorkerOnServerS1();
        client.resources(KilnServer.class).inNamespace(NS).withName("s1").edit(server -> {
            server.getSpec().setAddress("10.0.0.1:99999");
            return server;
        });
        client.resource(world.kilnMachine("m1")).delete();

        KilnMachine refused = await("m1", "InvalidServerAddress",
                conditionReason(MachineConditions.READY, ServerNodes.INVALID_ADDRESS));
        assertTrue(condition(refused, MachineConditions.READY).getMessage()
                .contains("KilnServer s1 spec.address: " + KilnServerAddress.MESSAGE),
                condition(refused, MachineConditions.READY).getMessage());
        assertFalse(nodes.dialed().contains("10.0.0.1:99999"), nodes.dialed().toString());
    }

    @Test
    void deleteResetsTheNodeToMaintenanceMarksTheServerCleanAndFreeAndRemovesTheClaim() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        KilnMachine machine = world.machine("m1", true, null);
        awaitReady("m1");
        assertFalse(nodes.nodes.node("10.0.0.1:50000").maintenance());

        client.resource(world.kilnMachine("m1")).delete();
        harness.await(KilnServer.class, NS, "s1", "free again",
                s -> Boolean.FALSE.equals(s.getStatus().getInUse()));
        awaitGone("m1");

        assertTrue(nodes.nodes.node("10.0.0.1:50000").maintenance());
        assertTrue(nodes.nodes.calls().contains("10.0.0.1:50000 reset"));
        KilnServer server = world.server("s1");
        assertEquals(Boolean.TRUE, server.getStatus().getClean());
        assertEquals(Boolean.TRUE, server.getStatus().getMaintenance());
        assertNull(server.getStatus().getMachineRef());
        assertTrue(claims().isEmpty());
        assertTrue(eventRecorded(machine.getMetadata().getName(), "ServerReleased"));
    }

    @Test
    void deleteResetsWithoutLeavingEtcdAgainAsTheMemberLeftThroughThePreTerminateHook() throws Exception {
        readyWorkerOnServerS1();

        client.resource(world.kilnMachine("m1")).delete();
        awaitGone("m1");

        assertEquals(List.of(false), nodes.gracefulResets());
    }

    @Test
    void deleteKeepsTheServerInUseWhileTheNodeIsUnreachable() throws Exception {
        readyWorkerOnServerS1();
        nodes.nodes.node("10.0.0.1:50000").setReachable(false);

        client.resource(world.kilnMachine("m1")).delete();
        KilnMachine blocked = await("m1", "Ready=False NodeUnreachable",
                conditionReason(MachineConditions.READY, "NodeUnreachable"));

        assertNotNull(blocked.getMetadata().getDeletionTimestamp());
        assertTrue(condition(blocked, MachineConditions.READY).getMessage().contains("10.0.0.1:50000"));
        KilnServer server = world.server("s1");
        assertEquals(Boolean.TRUE, server.getStatus().getInUse());
        assertEquals(Boolean.FALSE, server.getStatus().getClean());
        assertEquals(1, claims().size());

        nodes.nodes.node("10.0.0.1:50000").setReachable(true);
        awaitGone("m1");
        assertEquals(Boolean.TRUE, world.server("s1").getStatus().getClean());
    }

    @Test
    void deleteOfAMachineWhoseNodeNeverAnswersFinishesAndLeavesTheServerFreeButNotClean() throws Exception {
        harness.close();
        harness = startReconciler(Duration.ofSeconds(2));
        readyWorkerOnServerS1();
        nodes.nodes.node("10.0.0.1:50000").setReachable(false);

        client.resource(world.kilnMachine("m1")).delete();
        awaitGone("m1");

        KilnServer server = world.server("s1");
        assertEquals(Boolean.FALSE, server.getStatus().getInUse());
        assertEquals(Boolean.FALSE, server.getStatus().getClean());
        assertNull(server.getStatus().getMachineRef());
        Condition wiped = Conditions.get(server.getStatus(), ServerStatuses.WIPED).orElseThrow();
        assertEquals("ReleasedWithoutReset", wiped.getReason());
        assertTrue(wiped.getMessage().contains("10.0.0.1:50000"), wiped.getMessage());
        assertTrue(claims().isEmpty());
        assertTrue(eventRecorded("m1", "ServerReleasedUnwiped"));
        assertFalse(nodes.nodes.calls().contains("10.0.0.1:50000 reset"));
        assertTrue(ServerChoice.claimOrder(List.of(server), null).isEmpty(), "the dirty server is not claimable");
    }

    @Test
    void deleteReleasesTheClaimWhenTheServerObjectIsGone() throws Exception {
        readyWorkerOnServerS1();
        nodes.nodes.node("10.0.0.1:50000").setReachable(false);

        client.resource(world.server("s1")).delete();
        client.resource(world.kilnMachine("m1")).delete();

        awaitGone("m1");
        assertTrue(claims().isEmpty());
    }

    @Test
    void pausedClusterChangesNothing() throws Exception {
        world.cluster(true);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        world.machine("m1", false, null);

        KilnMachine untouched = await("m1", "Paused=True", conditionReason(KstatusConditions.PAUSED, "Paused"));

        assertTrue(Conditions.get(untouched.getStatus(), MachineConditions.READY).isEmpty());
        assertEquals(untouched.getMetadata().getGeneration(), untouched.getStatus().getObservedGeneration());
        assertNull(untouched.getSpec().getProviderId());
        assertTrue(claims().isEmpty());
        assertEquals(Boolean.FALSE, world.server("s1").getStatus().getInUse());
        assertTrue(nodes.nodes.calls().isEmpty());
    }

    @Test
    void unpausingClearsPausedAndProvisions() throws Exception {
        Cluster cluster = world.cluster(true);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        world.machine("m1", false, null);
        await("m1", "Paused=True", conditionReason(KstatusConditions.PAUSED, "Paused"));

        client.resources(Cluster.class).inNamespace(NS).withName(cluster.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":false}}");

        KilnMachine ready = awaitReady("m1");
        assertEquals(KstatusConditions.NOT_PAUSED_REASON, condition(ready, KstatusConditions.PAUSED).getReason());
        assertEquals(Conditions.FALSE, condition(ready, KstatusConditions.PAUSED).getStatus());
        assertTrue(Conditions.get(ready.getStatus(), KstatusConditions.RECONCILING).isEmpty());
    }

    @Test
    void thePausedAnnotationOnTheMachineAloneStopsItAndKeepsReady() throws Exception {
        world.cluster(false);
        world.machine("m1", false, null);
        await("m1", "Ready=False NoServerAvailable", conditionReason(MachineConditions.READY, "NoServerAvailable"));
        client.resources(KilnMachine.class).inNamespace(NS).withName("m1").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + Cluster.PAUSED_ANNOTATION + "\":\"\"}}}");

        KilnMachine paused = await("m1", "Paused=True", conditionReason(KstatusConditions.PAUSED, "Paused"));

        assertTrue(condition(paused, KstatusConditions.PAUSED).getMessage().contains(Cluster.PAUSED_ANNOTATION));
        assertEquals("NoServerAvailable", condition(paused, MachineConditions.READY).getReason());
    }

    @Test
    void nodeErrorsSurfaceAsConditionsNamingTheNode() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1).setReachable(false);
        world.machine("m1", false, null);

        KilnMachine failing = await("m1", "Provisioned=False NodeUnreachable",
                conditionReason(MachineConditions.PROVISIONED, "NodeUnreachable"));

        Condition provisioned = condition(failing, MachineConditions.PROVISIONED);
        assertTrue(provisioned.getMessage().contains("10.0.0.1:50000"), provisioned.getMessage());
        assertEquals("NodeUnreachable", condition(failing, MachineConditions.READY).getReason());
        Condition reconciling = condition(failing, KstatusConditions.RECONCILING);
        assertEquals(Conditions.TRUE, reconciling.getStatus());
        assertEquals("NodeUnreachable", reconciling.getReason());
        assertTrue(Conditions.get(failing.getStatus(), KstatusConditions.STALLED).isEmpty());
        assertNotEquals(Boolean.TRUE, failing.getStatus().getReady());
        assertTrue(nodes.applied().isEmpty());
    }

    @Test
    void claimsAndRecordsItsServerBeforeTheBootstrapDataExistsThenWaitsForIt() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        var owner = world.machineWithoutData("m1", false);
        world.kilnMachine("m1", owner, null);

        KilnMachine waiting = await("m1", "WaitingForBootstrapData",
                conditionReason(MachineConditions.READY, "WaitingForBootstrapData"));
        assertEquals(1, claims().size());
        assertEquals("s1", waiting.getStatus().getServerRef().getName());
        assertEquals("Claimed", condition(waiting, MachineConditions.SERVER_CLAIMED).getReason());
        assertTrue(condition(waiting, MachineConditions.READY).getMessage()
                .contains("has no spec.bootstrap.dataSecretName yet"), waiting.getStatus().getConditions().toString());
        assertTrue(nodes.applied().isEmpty());

        world.writeBootstrapData("m1", false);
        world.setDataSecretName("m1", "m1");
        awaitReady("m1");
        assertEquals(world.bootstrapYaml("m1", false), nodes.appliedTo("10.0.0.1:50000").get(0).config());
    }

    @Test
    void whileWaitingForItsBootstrapDataItPreparesMaintenanceAccessToItsServer() throws Exception {
        world.cluster(false);
        world.freeServer("s1", "10.0.0.1:50000", FINGERPRINT_1);
        addNode("10.0.0.1:50000", FINGERPRINT_1);
        var owner = world.machineWithoutData("m1", false);
        world.kilnMachine("m1", owner, null);

        await("m1", "WaitingForBootstrapData", conditionReason(MachineConditions.READY, "WaitingForBootstrapData"));

        assertTrue(nodes.prepared().contains(new RecordingNodes.Prepared("10.0.0.1:50000",
                new NodeCredentials.Maintenance(FINGERPRINT_1))), nodes.prepared().toString());
        assertTrue(nodes.applied().isEmpty());
    }

    private void awaitGone(String machine) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Optional.ofNullable(world.kilnMachine(machine)).isEmpty()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("KilnMachine " + machine + " still exists: " + world.kilnMachine(machine));
    }
}
