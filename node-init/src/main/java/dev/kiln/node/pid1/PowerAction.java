package dev.kiln.node.pid1;

import dev.kiln.node.boot.ExitCode;

/** What ends the machine when node-init, as PID 1, would have exited: PID 1 may not exit, the kernel would panic. */
public enum PowerAction {
    REBOOT,
    POWER_OFF;

    /** Halt powers off; reboot and every failure reboot, so the bootloader counts the attempt and may roll back. */
    public static PowerAction forExit(int exitCode) {
        return exitCode == ExitCode.HALT.code() ? POWER_OFF : REBOOT;
    }
}
