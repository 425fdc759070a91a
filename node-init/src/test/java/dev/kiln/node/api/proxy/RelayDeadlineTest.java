package dev.kiln.node.api.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelayDeadlineTest {

    @Test
    void aTenthIsKeptBackForShortDeadlines() {
        assertEquals(Duration.ofMillis(4500), RelayDeadline.forward(Duration.ofSeconds(5)));
    }

    @Test
    void atMostASecondIsKeptBack() {
        assertEquals(Duration.ofSeconds(59), RelayDeadline.forward(Duration.ofSeconds(60)));
    }

    @Test
    void anExpiredDeadlineForwardsNone() {
        assertEquals(Duration.ZERO, RelayDeadline.forward(Duration.ofMillis(-5)));
    }
}
