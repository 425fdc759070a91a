package dev.kiln.node.pid1;

import com.sun.jna.Native;
import dev.kiln.node.bootloader.Power;

/** Reboot and power-off through reboot(2), after syncing and unmounting the node's disk. */
final class KernelPower implements Power {

    @Override
    public boolean reboot() {
        rebootNow();
        return false;
    }

    @Override
    public void halt() {
        settle();
        Init.say("powering off");
        Libc.C.reboot(Libc.RB_POWER_OFF);
        Init.say("power off failed: " + Libc.C.strerror(Native.getLastError()));
    }

    static void rebootNow() {
        settle();
        Init.say("rebooting");
        Libc.C.reboot(Libc.RB_AUTOBOOT);
        Init.say("reboot failed: " + Libc.C.strerror(Native.getLastError()));
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
        Libc.C.umount2(Init.DISK_MOUNT.toString(), 0);
        Libc.C.sync();
    }
}
