package dev.kiln.capi.infrastructure.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts.Asked;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts.NodeReport;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep.Fail;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep.Ready;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep.Upgrade;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkerUpgradePlannerTest {

    private static final String V1 = "v0.1.0";
    private static final String V2 = "v0.2.0";
    private static final String IMAGE = "https://r.example/node-init-v0.2.0.zip@sha256:" + "ab".repeat(32);
    private static final String OTHER_IMAGE = "https://r.example/fixed.zip@sha256:" + "cd".repeat(32);
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String OLD_ROLLBACK = "rolled back from v0.0.9 to v0.1.0: requested through the API";
    private static final String NEW_ROLLBACK = "rolled back from v0.2.0 to v0.1.0: not confirmed within 3 attempts";

    private static WorkerUpgradeFacts facts(Optional<NodeReport> node, Optional<Asked> asked) {
        return new WorkerUpgradeFacts(Optional.of(V2), Optional.of(IMAGE), node, asked, NOW, TIMEOUT);
    }

    private static Optional<NodeReport> node(String running, boolean trial, String lastRollback) {
        return Optional.of(new NodeReport(running, trial, Optional.ofNullable(lastRollback)));
    }

    private static Optional<Asked> asked(Duration ago, String rollbackBefore, String refused) {
        return Optional.of(new Asked(V2, IMAGE, NOW.minus(ago), Optional.ofNullable(rollbackBefore),
                Optional.ofNullable(refused)));
    }

    @Test
    void aMachineWithoutAVersionIsReadyWhateverItsNodeRuns() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(new WorkerUpgradeFacts(Optional.empty(),
                Optional.of(IMAGE), node(V1, false, null), Optional.empty(), NOW, TIMEOUT));
        assertInstanceOf(Ready.class, step);
    }

    @Test
    void aMachineWithoutAReleaseImageIsReadyAndSaysTheNodeKeepsItsRelease() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(new WorkerUpgradeFacts(Optional.of(V2),
                Optional.empty(), node(V1, false, null), Optional.empty(), NOW, TIMEOUT));
        assertTrue(((Ready) step).message().contains("spec.releaseImage is not set"), step.toString());
    }

    @Test
    void aNodeAlreadyRunningTheVersionOffTrialIsReadyWithoutAnUpgrade() {
        assertInstanceOf(Ready.class, WorkerUpgradePlanner.decide(facts(node(V2, false, null), Optional.empty())));
    }

    @Test
    void aNodeRunningAnotherVersionIsUpgradedToTheImageFromItsVersion() {
        assertEquals(new Upgrade(V1, V2, IMAGE),
                WorkerUpgradePlanner.decide(facts(node(V1, false, OLD_ROLLBACK), Optional.empty())));
    }

    @Test
    void aNodeThatDoesNotAnswerIsWaitedForBeforeAnyUpgrade() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(facts(Optional.empty(), Optional.empty()));
        assertEquals(WorkerUpgradePlanner.WAITING_FOR_NODE, ((Wait) step).reason());
    }

    @Test
    void aNodeOnTrialFromAnEarlierUpgradeIsWaitedForRatherThanUpgradedAgain() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(facts(node(V1, true, null), Optional.empty()));
        assertEquals(WorkerUpgradePlanner.WAITING_FOR_NODE, ((Wait) step).reason());
    }

    @Test
    void aNodeOnTrialWithTheTargetAndNoRecordIsWaitedFor() {
        assertInstanceOf(Wait.class, WorkerUpgradePlanner.decide(facts(node(V2, true, null), Optional.empty())));
    }

    @Test
    void aRecordForAnotherVersionDoesNotCountAndTheNodeIsUpgradedAgain() {
        Optional<Asked> earlier = Optional.of(new Asked("v0.1.5", IMAGE, NOW.minus(Duration.ofHours(1)),
                Optional.empty(), Optional.of("sha256 mismatch")));
        assertEquals(new Upgrade(V1, V2, IMAGE), WorkerUpgradePlanner.decide(facts(node(V1, false, null), earlier)));
    }

    @Test
    void aRecordForAnotherImageOfTheSameVersionDoesNotCount() {
        Optional<Asked> earlier = Optional.of(new Asked(V2, OTHER_IMAGE, NOW.minus(Duration.ofMinutes(1)),
                Optional.empty(), Optional.of("sha256 mismatch")));
        assertEquals(new Upgrade(V1, V2, IMAGE), WorkerUpgradePlanner.decide(facts(node(V1, false, null), earlier)));
    }

    @Test
    void aRefusedUpgradeFailsTheMachineWithTheNodesAnswer() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(facts(node(V1, false, null),
                asked(Duration.ofSeconds(5), null, "image: sha256 mismatch")));
        assertTrue(((Fail) step).message().contains("refused the upgrade to v0.2.0: image: sha256 mismatch"),
                step.toString());
    }

    @Test
    void aNewRollbackFailsTheMachineWithTheNodesRollbackMessage() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(facts(node(V1, false, NEW_ROLLBACK),
                asked(Duration.ofMinutes(2), OLD_ROLLBACK, null)));
        assertEquals(new Fail(NEW_ROLLBACK), step);
    }

    @Test
    void aRollbackFromBeforeTheUpgradeIsNotReadAsAFailure() {
        assertInstanceOf(Wait.class, WorkerUpgradePlanner.decide(facts(node(V1, false, OLD_ROLLBACK),
                asked(Duration.ofSeconds(30), OLD_ROLLBACK, null))));
    }

    @Test
    void aRollbackWhenThereWasNoneBeforeIsAFailure() {
        assertInstanceOf(Fail.class, WorkerUpgradePlanner.decide(facts(node(V1, false, NEW_ROLLBACK),
                asked(Duration.ofSeconds(30), null, null))));
    }

    @Test
    void theTargetOnTrialAfterTheUpgradeIsWaitedForAsUpgrading() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(facts(node(V2, true, null),
                asked(Duration.ofSeconds(30), null, null)));
        assertEquals(WorkerUpgradePlanner.UPGRADING, ((Wait) step).reason());
    }

    @Test
    void theTargetOffTrialAfterTheUpgradeIsReady() {
        assertInstanceOf(Ready.class, WorkerUpgradePlanner.decide(facts(node(V2, false, OLD_ROLLBACK),
                asked(Duration.ofSeconds(30), OLD_ROLLBACK, null))));
    }

    @Test
    void aRebootingNodeAfterTheUpgradeIsWaitedForWithinTheTimeout() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(facts(Optional.empty(),
                asked(Duration.ofMinutes(9), null, null)));
        assertTrue(((Wait) step).message().contains("rebooting"), step.toString());
    }

    @Test
    void aNodeSilentPastTheTimeoutFailsTheMachine() {
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(facts(Optional.empty(),
                asked(Duration.ofMinutes(11), null, null)));
        assertTrue(((Fail) step).message().contains("did not report v0.2.0 off trial within 10 minutes"),
                step.toString());
    }

    @Test
    void aNodeStillOnTheOldVersionPastTheTimeoutFailsTheMachine() {
        assertInstanceOf(Fail.class, WorkerUpgradePlanner.decide(facts(node(V1, false, null),
                asked(Duration.ofMinutes(11), null, null))));
    }

    @Test
    void exactlyAtTheTimeoutTheMachineStillWaits() {
        assertInstanceOf(Wait.class, WorkerUpgradePlanner.decide(facts(node(V2, true, null),
                asked(TIMEOUT, null, null))));
    }

    /** Every combination of the inputs: the step kinds follow the rules above, and no combination throws. */
    @Test
    void everyCombinationOfFactsGivesTheStepTheRulesName() {
        List<Optional<String>> versions = List.of(Optional.empty(), Optional.of(V2));
        List<Optional<String>> images = List.of(Optional.empty(), Optional.of(IMAGE));
        List<Optional<NodeReport>> nodes = new ArrayList<>(List.of(Optional.empty()));
        for (String running : List.of(V1, V2)) {
            for (boolean trial : List.of(false, true)) {
                for (String rollback : new String[] {null, OLD_ROLLBACK, NEW_ROLLBACK}) {
                    nodes.add(node(running, trial, rollback));
                }
            }
        }
        List<Optional<Asked>> records = new ArrayList<>(List.of(Optional.empty()));
        for (String image : List.of(IMAGE, OTHER_IMAGE)) {
            for (Duration ago : List.of(Duration.ofSeconds(1), Duration.ofMinutes(20))) {
                for (String before : new String[] {null, OLD_ROLLBACK}) {
                    for (String refused : new String[] {null, "no"}) {
                        records.add(Optional.of(new Asked(V2, image, NOW.minus(ago), Optional.ofNullable(before),
                                Optional.ofNullable(refused))));
                    }
                }
            }
        }
        int checked = 0;
        for (Optional<String> version : versions) {
            for (Optional<String> image : images) {
                for (Optional<NodeReport> node : nodes) {
                    for (Optional<Asked> record : records) {
                        WorkerUpgradeFacts facts = new WorkerUpgradeFacts(version, image, node, record, NOW, TIMEOUT);
                        assertEquals(expected(facts), WorkerUpgradePlanner.decide(facts).getClass(), facts.toString());
                        checked++;
                    }
                }
            }
        }
        assertEquals(2 * 2 * 13 * 17, checked);
    }

    /** The rules restated independently, as a table a reader can check line by line. */
    private static Class<? extends WorkerUpgradeStep> expected(WorkerUpgradeFacts f) {
        if (f.version().isEmpty() || f.image().isEmpty()) {
            return Ready.class;
        }
        boolean current = f.asked().isPresent() && f.asked().get().image().equals(f.image().get());
        boolean runsTargetConfirmed = f.node().isPresent() && f.node().get().running().equals(V2)
                && !f.node().get().trial();
        if (!current) {
            if (f.node().isEmpty() || f.node().get().trial()) {
                return Wait.class;
            }
            return runsTargetConfirmed ? Ready.class : Upgrade.class;
        }
        Asked asked = f.asked().get();
        boolean newRollback = f.node().flatMap(NodeReport::lastRollback).isPresent()
                && !f.node().flatMap(NodeReport::lastRollback).equals(asked.rollbackBefore());
        if (asked.refused().isPresent() || newRollback) {
            return Fail.class;
        }
        if (runsTargetConfirmed) {
            return Ready.class;
        }
        return asked.started().plus(TIMEOUT).isBefore(NOW) ? Fail.class : Wait.class;
    }
}
