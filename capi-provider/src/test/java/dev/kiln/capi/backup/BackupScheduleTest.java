package dev.kiln.capi.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {

    private static final Instant T = Instant.parse("2026-12-04T10:17:30Z");

    @Test
    void aFiveFieldCronExpressionIsReadInUtcAsACronJobReadsIt() {
        BackupSchedule schedule = BackupSchedule.parse("spec.schedule", "0 */6 * * *");
        assertEquals(Instant.parse("2026-12-04T12:00:00Z"), schedule.nextAfter(T));
        assertEquals(Instant.parse("2026-12-04T18:00:00Z"), schedule.nextAfter(Instant.parse("2026-12-04T12:00:00Z")));
    }

    @Test
    void nicknamesStandForTheirCronExpressions() {
        assertEquals(Instant.parse("2026-12-05T00:00:00Z"), BackupSchedule.parse("f", "@daily").nextAfter(T));
        assertEquals(Instant.parse("2026-12-04T11:00:00Z"), BackupSchedule.parse("f", "@hourly").nextAfter(T));
        assertEquals(Instant.parse("2026-12-06T00:00:00Z"), BackupSchedule.parse("f", "@weekly").nextAfter(T));
    }

    @Test
    void everyTakesAnIntervalInHoursMinutesAndSeconds() {
        BackupSchedule schedule = BackupSchedule.parse("f", "@every 1h30m");
        assertEquals(new BackupSchedule.Every(Duration.ofMinutes(90)), schedule);
        assertEquals(T.plusSeconds(5400), schedule.nextAfter(T));
        assertEquals(new BackupSchedule.Every(Duration.ofSeconds(5)), BackupSchedule.parse("f", "@every 5s"));
    }

    @Test
    void anIntervalShorterThanFiveSecondsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackupSchedule.parse("spec.schedule", "@every 2s"));
        assertTrue(e.getMessage().startsWith("spec.schedule: '@every 2s' is shorter than 5s"), e.getMessage());
    }

    @Test
    void aMalformedEveryIsRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackupSchedule.parse("spec.schedule", "@every six hours"));
        assertTrue(e.getMessage().startsWith("spec.schedule: '@every six hours' is not '@every <duration>'"),
                e.getMessage());
    }

    @Test
    void aMalformedCronExpressionIsRefusedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackupSchedule.parse("spec.schedule", "61 * * * *"));
        assertTrue(e.getMessage().startsWith("spec.schedule: '61 * * * *' is not a five-field cron expression"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BackupSchedule.parse("spec.schedule", "* * * *"));
    }

    @Test
    void anUnknownNicknameIsRefusedListingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackupSchedule.parse("spec.schedule", "@fortnightly"));
        assertTrue(e.getMessage().contains("@daily"), e.getMessage());
    }

    @Test
    void aMissingScheduleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BackupSchedule.parse("spec.schedule", " "));
        assertInstanceOf(BackupSchedule.Cron.class, BackupSchedule.parse("spec.schedule", " 5 4 * * * "));
    }
}
