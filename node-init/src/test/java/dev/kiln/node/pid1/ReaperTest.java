package dev.kiln.node.pid1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ReaperTest {

    @Test
    void aZombieSeenInTwoScansIsReaped() {
        assertEquals(Set.of(42), Reaper.lingering(Set.of(42, 7), Set.of(42, 99)));
    }

    @Test
    void aZombieSeenOnceIsLeftForTheJvmThatMayBeWaitingForIt() {
        assertEquals(Set.of(), Reaper.lingering(Set.of(), Set.of(99)));
    }
}
