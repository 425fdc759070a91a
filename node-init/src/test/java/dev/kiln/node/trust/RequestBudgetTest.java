package dev.kiln.node.trust;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RequestBudgetTest {

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void requestsBeyondTheWindowsBudgetAreRefused() {
        RequestBudget budget = new RequestBudget(2, Duration.ofSeconds(10), new HandClock());

        assertTrue(budget.tryTake());
        assertTrue(budget.tryTake());
        assertFalse(budget.tryTake());
    }

    @Test
    void theBudgetComesBackInTheNextWindow() {
        HandClock clock = new HandClock();
        RequestBudget budget = new RequestBudget(1, Duration.ofSeconds(10), clock);
        budget.tryTake();

        clock.now = clock.now.plusSeconds(10);

        assertTrue(budget.tryTake());
    }
}
