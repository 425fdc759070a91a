package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreationLedgerTest {

    private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");

    @Test
    void anAnnouncedMachineNotListedIsInFlight() {
        CreationLedger ledger = new CreationLedger(Map.of("cp-a", NOW.minusSeconds(5)), "7");

        assertEquals(List.of("cp-a"), ledger.inFlight(List.of(), NOW));
    }

    @Test
    void anAnnouncedMachineThatIsListedIsNotInFlight() {
        CreationLedger ledger = new CreationLedger(Map.of("cp-a", NOW.minusSeconds(5)), "7");

        assertEquals(List.of(), ledger.inFlight(List.of("cp-a"), NOW));
    }

    @Test
    void anAnnouncementOneMinuteOldIsNoLongerInFlight() {
        CreationLedger ledger = new CreationLedger(Map.of("cp-a", NOW.minus(CreationLedger.IN_FLIGHT_FOR)), "7");

        assertEquals(List.of(), ledger.inFlight(List.of(), NOW));
    }

    @Test
    void announcingDropsListedAndStaleEntriesAndKeepsTheOthers() {
        CreationLedger ledger = new CreationLedger(Map.of(
                "cp-listed", NOW.minusSeconds(1),
                "cp-stale", NOW.minusSeconds(61),
                "cp-pending", NOW.minusSeconds(2)), "7");

        assertEquals(Map.of("cp-pending", NOW.minusSeconds(2), "cp-new", NOW),
                ledger.announcing(List.of("cp-new"), List.of("cp-listed"), NOW));
    }
}
