package dev.kiln.kilnctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @Test
    void goStyleUnitsAddUp() {
        assertEquals(Duration.ofSeconds(30), DurationConverter.parse("30s"));
        assertEquals(Duration.ofMinutes(2), DurationConverter.parse("2m"));
        assertEquals(Duration.ofMinutes(90), DurationConverter.parse("1h30m"));
        assertEquals(Duration.ofMinutes(90), DurationConverter.parse("1.5h"));
        assertEquals(Duration.ofMillis(250), DurationConverter.parse("250ms"));
        assertEquals(Duration.ofMillis(2_500), DurationConverter.parse("2s500ms"));
    }

    @Test
    void aBareNumberIsSeconds() {
        assertEquals(Duration.ofSeconds(45), DurationConverter.parse("45"));
    }

    @Test
    void isoDurationsStillWork() {
        assertEquals(Duration.ofMinutes(10), DurationConverter.parse("PT10M"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "5x", "10 s", "1h30", "-5s", "s", "PT-1S", "1m-", "99999999999999999999",
            "9999999999999h", "1.5ns"})
    void anythingElseIsRefused(String text) {
        TypeConversionException refused = assertThrows(TypeConversionException.class,
                () -> DurationConverter.parse(text));
        assertTrue(refused.getMessage().contains("is not a duration"), refused.getMessage());
    }

    @Test
    void aBadDurationOnTheCommandLineNamesTheFlag() {
        KilnctlRun kilnctl = new KilnctlRun();
        assertEquals(2, kilnctl.run("events", "--duration", "soon"));
        assertTrue(kilnctl.err().contains("--duration") && kilnctl.err().contains("'soon' is not a duration"),
                kilnctl.err());
    }

    @Test
    void applyConfigsTryTimeoutTakesADurationAndNamesItsFlag() {
        KilnctlRun kilnctl = new KilnctlRun();
        assertEquals(2, kilnctl.run("apply-config", "-f", "controlplane.yaml", "--timeout", "1d"));
        assertTrue(kilnctl.err().contains("--timeout") && kilnctl.err().contains("'1d' is not a duration"),
                kilnctl.err());
    }

    @Test
    void theHealthWaitTimeoutTakesADuration() {
        KilnctlRun kilnctl = new KilnctlRun();
        assertEquals(2, kilnctl.run("health", "--wait-timeout", "1y"));
        assertTrue(kilnctl.err().contains("--wait-timeout") && kilnctl.err().contains("'1y' is not a duration"),
                kilnctl.err());
    }
}
