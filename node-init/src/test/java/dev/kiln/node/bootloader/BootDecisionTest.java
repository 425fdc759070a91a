package dev.kiln.node.bootloader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.Meta;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootDecisionTest {

    private static final TrialLimits LIMITS = new TrialLimits(3, Duration.ofSeconds(60));
    private static final long NOW = 1_000_000L;

    private static Meta upgradedToB() {
        return Meta.fresh().withInstalled(BootSlot.A, "v1").activate(BootSlot.A).withInstalled(BootSlot.B, "v2")
                .activateForTrial(BootSlot.B, new Meta.Trial("v1", 0, 7, 9));
    }

    @Test
    void nothingInstalledBootsTheOriginalDistribution() {
        BootDecision.Choice choice = BootDecision.decide(Meta.fresh(), NOW, LIMITS);

        BootDecision.Boot boot = assertInstanceOf(BootDecision.Boot.class, choice);
        assertEquals(Optional.empty(), boot.slot());
        assertEquals(Optional.empty(), boot.trialDeadlineMillis());
    }

    @Test
    void confirmedSlotBootsWithoutDeadlineAndCountsTheAttempt() {
        Meta meta = Meta.fresh().withInstalled(BootSlot.B, "v1").activate(BootSlot.B);

        BootDecision.Boot boot = assertInstanceOf(BootDecision.Boot.class, BootDecision.decide(meta, NOW, LIMITS));

        assertEquals(Optional.of(BootSlot.B), boot.slot());
        assertEquals(1, boot.meta().bootAttempts());
        assertEquals(Optional.empty(), boot.trialDeadlineMillis());
    }

    @Test
    void firstTrialBootStartsTheClockAndSetsTheDeadline() {
        BootDecision.Boot boot = assertInstanceOf(BootDecision.Boot.class,
                BootDecision.decide(upgradedToB(), NOW, LIMITS));

        assertEquals(Optional.of(BootSlot.B), boot.slot());
        assertEquals(NOW, boot.meta().trial().startedAtMillis());
        assertEquals(Optional.of(NOW + 60_000), boot.trialDeadlineMillis());
        assertEquals(1, boot.meta().bootAttempts());
    }

    @Test
    void laterTrialBootKeepsTheOriginalStartTime() {
        Meta started = upgradedToB().withTrial(new Meta.Trial("v1", NOW, 7, 9)).withBootAttempt();

        BootDecision.Boot boot = assertInstanceOf(BootDecision.Boot.class,
                BootDecision.decide(started, NOW + 10_000, LIMITS));

        assertEquals(NOW, boot.meta().trial().startedAtMillis());
        assertEquals(Optional.of(NOW + 60_000), boot.trialDeadlineMillis());
        assertEquals(2, boot.meta().bootAttempts());
    }

    @Test
    void trialOutOfAttemptsRollsBackToThePreviousSlot() {
        Meta exhausted = upgradedToB().withTrial(new Meta.Trial("v1", NOW, 7, 9))
                .withBootAttempt().withBootAttempt().withBootAttempt();

        BootDecision.RollBack rollBack = assertInstanceOf(BootDecision.RollBack.class,
                BootDecision.decide(exhausted, NOW + 1, LIMITS));

        assertEquals(Optional.of(BootSlot.A), rollBack.slot());
        assertEquals(BootSlot.A, rollBack.meta().activeSlot());
        assertEquals(Optional.empty(), rollBack.meta().trialPending());
        assertEquals("rolled back from v2 to v1: not confirmed healthy after 3 boot attempts", rollBack.message());
        assertEquals(Optional.of(rollBack.message()), rollBack.meta().lastRollbackMessage());
    }

    @Test
    void trialPastItsTimeoutRollsBackEvenWithAttemptsLeft() {
        Meta started = upgradedToB().withTrial(new Meta.Trial("v1", NOW, 7, 9)).withBootAttempt();

        BootDecision.RollBack rollBack = assertInstanceOf(BootDecision.RollBack.class,
                BootDecision.decide(started, NOW + 60_000, LIMITS));

        assertTrue(rollBack.message().endsWith("not confirmed healthy within 60s"), rollBack.message());
        assertEquals(Optional.of("v2"), rollBack.meta().installedVersion(BootSlot.B), "the failed version stays installed");
    }

    @Test
    void confirmedTrialIsNoLongerJudged() {
        Meta confirmed = upgradedToB().withTrial(new Meta.Trial("v1", NOW, 7, 9)).withBootAttempt().bootConfirmed();

        BootDecision.Boot boot = assertInstanceOf(BootDecision.Boot.class,
                BootDecision.decide(confirmed, NOW + 3_600_000, LIMITS));

        assertEquals(Optional.of(BootSlot.B), boot.slot());
        assertEquals(Optional.empty(), boot.trialDeadlineMillis());
    }

    @Test
    void trialLimitsComeFromTheEnvironmentWhenSet() {
        TrialLimits limits = TrialLimits.fromEnvironment(java.util.Map.of(TrialLimits.ATTEMPTS_ENV, "5",
                TrialLimits.TIMEOUT_ENV, "12"));

        assertEquals(new TrialLimits(5, Duration.ofSeconds(12)), limits);
        assertEquals(TrialLimits.defaults(), TrialLimits.fromEnvironment(java.util.Map.of()));
    }
}
