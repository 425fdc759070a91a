package dev.kiln.capi.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.capi.backup.BackupDecision.History;
import dev.kiln.capi.backup.BackupDecision.Take;
import dev.kiln.capi.backup.BackupDecision.Trigger;
import dev.kiln.capi.backup.BackupDecision.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupDecisionTest {

    private static final Instant CREATED = Instant.parse("2026-12-04T10:00:00Z");
    private static final BackupSchedule HOURLY = BackupSchedule.parse("spec.schedule", "@every 1h");

    private static History fresh() {
        return new History(CREATED, Optional.empty(), Optional.empty(), 0, Optional.empty());
    }

    private static BackupDecision decide(History history, Optional<String> request, Instant now) {
        return BackupDecision.decide(history, HOURLY, false, request, now);
    }

    @Test
    void theFirstScheduledBackupIsDueOneIntervalAfterCreation() {
        Wait wait = assertInstanceOf(Wait.class, decide(fresh(), Optional.empty(), CREATED.plusSeconds(60)));
        assertEquals(CREATED.plusSeconds(3600), wait.until());
        Take take = assertInstanceOf(Take.class, decide(fresh(), Optional.empty(), CREATED.plusSeconds(3600)));
        assertEquals(Trigger.SCHEDULED, take.trigger());
    }

    @Test
    void theNextScheduledBackupCountsFromTheLastOneSoMissedSlotsMakeOneBackupNotMany() {
        History afterOne = new History(CREATED, Optional.of(CREATED.plusSeconds(5 * 3600)), Optional.empty(), 0,
                Optional.empty());
        Wait wait = assertInstanceOf(Wait.class, decide(afterOne, Optional.empty(), CREATED.plusSeconds(5 * 3600 + 1)));
        assertEquals(CREATED.plusSeconds(6 * 3600), wait.until());
    }

    @Test
    void aNewOnDemandRequestIsTakenAtOnceBetweenScheduledOnes() {
        Take take = assertInstanceOf(Take.class, decide(fresh(), Optional.of("2026-12-04-a"), CREATED.plusSeconds(1)));
        assertEquals(Trigger.ON_DEMAND, take.trigger());
    }

    @Test
    void anOnDemandRequestAlreadyServedIsNotTakenAgain() {
        History served = new History(CREATED, Optional.empty(), Optional.of("a"), 0, Optional.empty());
        assertInstanceOf(Wait.class, decide(served, Optional.of("a"), CREATED.plusSeconds(1)));
        assertInstanceOf(Take.class, decide(served, Optional.of("b"), CREATED.plusSeconds(1)));
    }

    @Test
    void aBlankOnDemandRequestIsNoRequest() {
        assertInstanceOf(Wait.class, decide(fresh(), Optional.of(" "), CREATED.plusSeconds(1)));
    }

    @Test
    void suspendedSchedulesTakeOnlyOnDemandBackups() {
        Instant late = CREATED.plusSeconds(10 * 3600);
        assertInstanceOf(Wait.class, BackupDecision.decide(fresh(), HOURLY, true, Optional.empty(), late));
        Take take = assertInstanceOf(Take.class, BackupDecision.decide(fresh(), HOURLY, true, Optional.of("x"), late));
        assertEquals(Trigger.ON_DEMAND, take.trigger());
    }

    @Test
    void afterAFailureTheNextAttemptWaitsItsBackoffThenRetries() {
        Instant failedAt = CREATED.plusSeconds(3600);
        History failedOnce = new History(CREATED, Optional.empty(), Optional.empty(), 1, Optional.of(failedAt));
        Wait wait = assertInstanceOf(Wait.class, decide(failedOnce, Optional.empty(), failedAt.plusSeconds(5)));
        assertEquals(failedAt.plusSeconds(10), wait.until());
        Take take = assertInstanceOf(Take.class, decide(failedOnce, Optional.empty(), failedAt.plusSeconds(10)));
        assertEquals(Trigger.RETRY, take.trigger());
    }

    @Test
    void aFailedOnDemandRequestIsRetriedAfterTheBackoffTooNotInATightLoop() {
        Instant failedAt = CREATED.plusSeconds(60);
        History failed = new History(CREATED, Optional.empty(), Optional.empty(), 3, Optional.of(failedAt));
        assertInstanceOf(Wait.class, decide(failed, Optional.of("a"), failedAt.plusSeconds(39)));
        assertInstanceOf(Take.class, decide(failed, Optional.of("a"), failedAt.plusSeconds(40)));
    }

    @Test
    void retryDelaysDoubleFromTenSecondsUpToFiveMinutes() {
        assertEquals(Duration.ofSeconds(10), BackupDecision.retryDelay(1));
        assertEquals(Duration.ofSeconds(20), BackupDecision.retryDelay(2));
        assertEquals(Duration.ofSeconds(160), BackupDecision.retryDelay(5));
        assertEquals(Duration.ofMinutes(5), BackupDecision.retryDelay(6));
        assertEquals(Duration.ofMinutes(5), BackupDecision.retryDelay(1000));
    }
}
