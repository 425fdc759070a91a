package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.testing.OperatorHarness;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The KilnMachine reconciler installing a worker's release before it reports the machine ready. */
@EnableKubernetesMockClient(crud = true)
class WorkerUpgradeReconcilerTest {

    static final String FINGERPRINT = "1".repeat(64);
    static final String ADDRESS = "10.0.0.1:50000";
    static final String IMAGE = "https://releases.example/node-init-v0.2.0.zip@sha256:" + "ab".repeat(32);
    static final String NS = MachineWorld.NAMESPACE;

    KubernetesClient client;

    private RecordingNodes nodes;
    private MachineWorld world;
    private OperatorHarness harness;

    @BeforeEach
    void start() {
        nodes = new RecordingNodes();
        world = new MachineWorld(client);
        world.installCrds();
        world.cluster(false);
        world.freeServer("s1", ADDRESS, FINGERPRINT);
        nodes.nodes.add(ADDRESS, FINGERPRINT);
        harness = OperatorHarness.start(client, List.of(new KilnMachineReconciler(client, nodes,
                new KilnEvents(client, "kilnmachine", Clock.systemUTC()), Clock.systemUTC(), Duration.ofMillis(300))));
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private KilnMachine await(String what, Predicate<KilnMachine> condition) throws Exception {
        return harness.await(KilnMachine.class, NS, "m1", what, condition);
    }

    private KilnMachine awaitReady() throws Exception {
        return await("ready", m -> m.getStatus() != null && Boolean.TRUE.equals(m.getStatus().getReady()));
    }

    private KilnMachine awaitUpgradeFailed() throws Exception {
        return await("Provisioned=False UpgradeFailed", m -> m.getStatus() != null
                && Conditions.get(m.getStatus(), MachineConditions.PROVISIONED)
                        .map(c -> WorkerUpgrade.FAILED_REASON.equals(c.getReason())).orElse(false));
    }

    private boolean eventRecorded(String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .anyMatch(e -> "m1".equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()));
    }

    @Test
    void aWorkerIsUpgradedToItsMachinesVersionBeforeItIsReportedReady() throws Exception {
        nodes.nodes.publishRelease(IMAGE, "v0.2.0", true);
        world.machineWithRelease("m1", false, "v0.2.0", IMAGE);

        KilnMachine ready = awaitReady();

        assertEquals("v0.2.0", nodes.nodes.node(ADDRESS).installedVersion());
        assertEquals("v0.2.0", ready.getMetadata().getAnnotations().get(WorkerUpgradeRecord.TARGET));
        assertEquals(IMAGE, ready.getMetadata().getAnnotations().get(WorkerUpgradeRecord.IMAGE));
        assertTrue(eventRecorded("UpgradingNode"), "an UpgradingNode event");
    }

    @Test
    void aWorkerWhoseNodeRollsBackIsFailedWithTheNodesReason() throws Exception {
        nodes.nodes.publishRelease(IMAGE, "v0.2.0", false);
        world.machineWithRelease("m1", false, "v0.2.0", IMAGE);

        KilnMachine failed = awaitUpgradeFailed();

        Condition provisioned = Conditions.get(failed.getStatus(), MachineConditions.PROVISIONED).orElseThrow();
        assertTrue(provisioned.getMessage().contains("upgrade failed on node " + ADDRESS
                + ": rolled back from v0.2.0 to v0.1.0"), provisioned.getMessage());
        assertEquals(Conditions.TRUE, Conditions.get(failed.getStatus(), KstatusConditions.STALLED).orElseThrow()
                .getStatus());
        assertEquals(WorkerUpgrade.FAILURE_REASON, failed.getStatus().getFailureReason());
        assertEquals(provisioned.getMessage(), failed.getStatus().getFailureMessage());
        assertNotEquals(Boolean.TRUE, failed.getStatus().getReady());
        assertTrue(eventRecorded(WorkerUpgrade.FAILED_REASON), "an UpgradeFailed warning event");
    }

    @Test
    void aReleaseTheNodeRefusesFailsTheWorkerWithTheNodesAnswerRecorded() throws Exception {
        world.machineWithRelease("m1", false, "v0.2.0", IMAGE);

        KilnMachine failed = awaitUpgradeFailed();

        String message = failed.getStatus().getFailureMessage();
        assertTrue(message.contains("the node refused the upgrade to v0.2.0") && message.contains("downloading"),
                message);
        assertTrue(failed.getMetadata().getAnnotations().get(WorkerUpgradeRecord.REFUSED).contains("downloading"));
        assertEquals("v0.1.0", nodes.nodes.node(ADDRESS).installedVersion());
    }

    @Test
    void aWorkerWithoutAReleaseImageIsReadyOnTheReleaseItsServerRuns() throws Exception {
        world.machineWithRelease("m1", false, "v0.2.0", null);

        KilnMachine ready = awaitReady();

        assertEquals("v0.1.0", nodes.nodes.node(ADDRESS).installedVersion());
        assertTrue(ready.getMetadata().getAnnotations() == null
                || !ready.getMetadata().getAnnotations().containsKey(WorkerUpgradeRecord.TARGET), "no upgrade recorded");
    }

    @Test
    void aControlPlaneMachineIsLeftToItsControlPlanesRollout() throws Exception {
        nodes.nodes.publishRelease(IMAGE, "v0.2.0", true);
        world.machineWithRelease("m1", true, "v0.2.0", IMAGE);

        awaitReady();

        assertEquals("v0.1.0", nodes.nodes.node(ADDRESS).installedVersion());
    }
}
