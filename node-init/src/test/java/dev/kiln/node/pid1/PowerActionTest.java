package dev.kiln.node.pid1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.node.boot.ExitCode;
import org.junit.jupiter.api.Test;

class PowerActionTest {

    @Test
    void haltPowersOff() {
        assertEquals(PowerAction.POWER_OFF, PowerAction.forExit(ExitCode.HALT.code()));
    }

    @Test
    void rebootReboots() {
        assertEquals(PowerAction.REBOOT, PowerAction.forExit(ExitCode.REBOOT.code()));
    }

    @Test
    void aFailureRebootsSoTheBootloaderCountsTheAttempt() {
        assertEquals(PowerAction.REBOOT, PowerAction.forExit(ExitCode.FAILURE.code()));
    }

    @Test
    void anUnknownCodeReboots() {
        assertEquals(PowerAction.REBOOT, PowerAction.forExit(2));
    }
}
