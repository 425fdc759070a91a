package dev.kiln.capi.controlplane;

import static dev.kiln.capi.controlplane.ControlPlaneWorld.letSeveralPassesRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineVersion;
import dev.kiln.capi.controlplane.upgrade.UpgradePlanner;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The InPlace strategy against the in-memory nodes: upgrade, halt, resume, and a record that outlives the operator. */
@EnableKubernetesMockClient(crud = true)
class InPlaceUpgradeReconcilerTest {

    private static final String V2 = "v0.2.0";
    private static final String GOOD = "https://releases.example/node-init-v0.2.0.zip@sha256:" + "a".repeat(64);
    private static final String BROKEN = "https://releases.example/node-init-v0.2.0-broken.zip@sha256:"
            + "b".repeat(64);
    private static final Duration WITHIN = Duration.ofSeconds(60);

    KubernetesClient client;

    private ControlPlaneWorld world;

    @BeforeEach
    void threeMachines() throws Exception {
        world = ControlPlaneWorld.create(client);
        world.nodes.publishRelease(GOOD, V2, true);
        world.nodes.publishRelease(BROKEN, V2, false);
        world.start();
        world.createControlPlane(3);
        world.growTo(3);
    }

    @AfterEach
    void stopWorld() {
        world.close();
    }

    private void target(String version, String image) {
        world.editSpec(spec -> {
            spec.setVersion(version);
            spec.setReleaseImage(image);
        });
    }

    private String installed(String machine) {
        return world.nodes.node(world.address(machine)).installedVersion();
    }

    private List<String> upgradeMessages() {
        return inProgressMessages().stream().filter(m -> m.startsWith("Upgrade:")).toList();
    }

    /** In the order they were written: Event names are random, resource versions grow. */
    private List<String> inProgressMessages() {
        return world.events(InPlaceRollout.IN_PROGRESS_REASON).stream()
                .sorted(java.util.Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
                .map(Event::getMessage).toList();
    }

    private static Optional<Condition> condition(KilnControlPlane cp, String type) {
        return cp.getStatus() == null ? Optional.empty() : Conditions.get(cp.getStatus(), type);
    }

    @Test
    void aNewVersionIsInstalledOnEveryMachineWithoutReplacingAny() throws Exception {
        List<String> before = world.liveMachineNames();

        target(V2, GOOD);
        world.runUntil("every node on " + V2, () -> before.stream().allMatch(m -> installed(m).equals(V2)), WITHIN);

        assertEquals(before, world.liveMachineNames());
    }

    @Test
    void theLeaderHandsOverLeadershipAndIsUpgradedLast() throws Exception {
        // In memory, the first member (the bootstrap machine's) leads until leadership is moved.
        String leader = world.bootstrapRecord().orElseThrow().machine();
        target(V2, GOOD);
        world.runUntil("three upgrade events", () -> upgradeMessages().size() == 3, WITHIN);

        assertTrue(upgradeMessages().get(2).contains("upgrading machine " + leader + " "), upgradeMessages().toString());
        List<String> decisions = inProgressMessages().stream()
                .filter(m -> m.startsWith("Upgrade:") || m.startsWith("ForfeitLeadership:")).toList();
        assertTrue(decisions.get(2).startsWith("ForfeitLeadership: moved etcd leadership away from " + leader),
                decisions.toString());
    }

    @Test
    void statusReportsTheLowestRunningVersionAndEachMachinesVersionOnceAllAreUpgraded() throws Exception {
        target(V2, GOOD);
        KilnControlPlane done = world.harnessAwait("status.version " + V2 + " and 3 up to date", cp ->
                cp.getStatus() != null && V2.equals(cp.getStatus().getVersion())
                        && Integer.valueOf(3).equals(cp.getStatus().getUpToDateReplicas()));

        assertEquals(Integer.valueOf(3), done.getStatus().getUpdatedReplicas());
        assertEquals(List.of(V2, V2, V2), done.getStatus().getMachineVersions().stream()
                .map(MachineVersion::getVersion).toList());
    }

    @Test
    void eachUpgradeIsAnEventNamingItsMachine() throws Exception {
        List<String> machines = world.liveMachineNames();
        target(V2, GOOD);
        world.runUntil("three upgrade events", () -> upgradeMessages().size() == 3, WITHIN);

        for (String machine : machines) {
            assertTrue(upgradeMessages().stream().anyMatch(m -> m.contains("upgrading machine " + machine + " ")),
                    machine + " in " + upgradeMessages());
        }
    }

    @Test
    void aRolledBackMachineHaltsTheRolloutAsUpgradeFailedStalled() throws Exception {
        target(V2, BROKEN);
        KilnControlPlane halted = world.harnessAwait("Stalled", cp -> condition(cp, KstatusConditions.STALLED)
                .map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false));

        Condition stalled = condition(halted, KstatusConditions.STALLED).get();
        assertEquals(InPlaceRollout.HALT_REASON, stalled.getReason());
        assertTrue(stalled.getMessage().contains("rolled back from v0.2.0 to v0.1.0"), stalled.getMessage());
    }

    @Test
    void aMemberThatHasNotCaughtUpHoldsTheRolloutUntilItHas() throws Exception {
        String follower = world.liveMachineNames().get(2);
        world.nodes.node(world.address(follower)).setAppliedLag(UpgradePlanner.MAX_APPLY_LAG + 500);

        target(V2, GOOD);
        KilnControlPlane waiting = world.harnessAwait("waiting on the lagging member", cp -> cp.getStatus() != null
                && cp.getStatus().getLastDecision() != null
                && cp.getStatus().getLastDecision().contains("has not caught up"));
        assertTrue(waiting.getStatus().getLastDecision().startsWith("Wait:"), waiting.getStatus().getLastDecision());
        assertEquals(List.of(), upgradeMessages());

        world.nodes.node(world.address(follower)).setAppliedLag(0);
        world.runUntil("every node on " + V2, () -> world.liveMachineNames().stream()
                .allMatch(m -> installed(m).equals(V2)), WITHIN);
    }

    @Test
    void afterAHaltNoFurtherMachineIsAskedToUpgrade() throws Exception {
        target(V2, BROKEN);
        world.harnessAwait("halted", cp -> cp.getStatus() != null && cp.getStatus().getLastDecision() != null
                && cp.getStatus().getLastDecision().startsWith("Halt:"));
        letSeveralPassesRun();

        assertEquals(1, upgradeMessages().size(), upgradeMessages().toString());
    }

    @Test
    void aNewReleaseResumesAHaltedRollout() throws Exception {
        target(V2, BROKEN);
        world.harnessAwait("halted", cp -> cp.getStatus() != null && cp.getStatus().getLastDecision() != null
                && cp.getStatus().getLastDecision().startsWith("Halt:"));

        target(V2, GOOD);
        world.runUntil("every node on " + V2, () -> world.liveMachineNames().stream()
                .allMatch(m -> installed(m).equals(V2)), WITHIN);
    }

    @Test
    void anUpgradeRecordedBeforeARestartThatNeverReachedItsNodeHaltsAfterTheTimeout() throws Exception {
        String machine = world.liveMachineNames().get(0);
        world.editMachine(machine, m -> {
            m.getMetadata().getAnnotations().putAll(Map.of(UpgradeRecord.TARGET, V2, UpgradeRecord.IMAGE, GOOD,
                    UpgradeRecord.STARTED, Instant.now().minus(InPlaceRollout.NODE_TIMEOUT).minusSeconds(60)
                            .toString()));
            return m;
        });

        target(V2, GOOD);
        KilnControlPlane halted = world.harnessAwait("halted", cp -> cp.getStatus() != null
                && cp.getStatus().getLastDecision() != null && cp.getStatus().getLastDecision().startsWith("Halt:"));

        assertTrue(halted.getStatus().getLastDecision().contains("machine " + machine + ": did not report v0.2.0"),
                halted.getStatus().getLastDecision());
    }

    @Test
    void withoutAReleaseImageANewVersionChangesNoMachine() throws Exception {
        List<String> before = world.liveMachineNames();
        world.editSpec(spec -> spec.setVersion(V2));
        letSeveralPassesRun();

        assertEquals(before, world.liveMachineNames());
        assertTrue(before.stream().allMatch(m -> installed(m).equals("v0.1.0")));
    }
}
