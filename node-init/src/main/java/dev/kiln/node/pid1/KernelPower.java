package dev.kiln.node.pid1;

import com.sun.jna.Native;

/** Reboot and power-off through reboot(2), after syncing and unmounting (or at least read-only) the node's disk. */
final class KernelPower {

    private KernelPower() {
    }

    /** Does not return: when reboot(2) fails, PID 1 waits here rather than exit. */
    static void perform(PowerAction action) {
        settle();
        Init.say(action == PowerAction.POWER_OFF ? "powering off" : "rebooting");
        Libc.C.reboot(action == PowerAction.POWER_OFF ? Libc.RB_POWER_OFF : Libc.RB_AUTOBOOT);
        Init.say(action + " failed: " + Libc.C.strerror(Native.getLastError()));
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void settle() {
        Libc.C.sync();
        String disk = Init.DISK_MOUNT.toString();
        // node-init's jar and runtime stay open on the disk while it is PID 1: read-only is the most it can have.
        if (Libc.C.umount2(disk, 0) != 0) {
            Libc.C.mount(null, disk, null, Libc.MS_REMOUNT | Libc.MS_RDONLY, null);
        }
        Libc.C.sync();
    }
}
