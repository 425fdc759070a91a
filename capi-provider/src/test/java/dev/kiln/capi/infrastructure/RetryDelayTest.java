package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryDelayTest {

    @Test
    void doublesFromTwoSecondsUpToAMinute() {
        assertEquals(Duration.ofSeconds(2), RetryDelay.after(1));
        assertEquals(Duration.ofSeconds(4), RetryDelay.after(2));
        assertEquals(Duration.ofSeconds(32), RetryDelay.after(5));
        assertEquals(Duration.ofSeconds(60), RetryDelay.after(6));
        assertEquals(Duration.ofSeconds(60), RetryDelay.after(1000));
    }
}
