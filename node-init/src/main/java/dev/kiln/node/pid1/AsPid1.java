package dev.kiln.node.pid1;

import dev.kiln.node.boot.ExitCode;
import dev.kiln.node.boot.Machine;
import java.io.IOException;

/**
 * node-init's duties when Init has replaced itself with it, so node-init is PID 1: reap orphans, end a trial that is
 * not confirmed healthy by its deadline (the bootloader's watch, which no longer runs beside it), and never exit:
 * what would be an exit code for the launcher becomes reboot(2) or power-off. Outside the boot image (development
 * launcher, tests) node-init is never PID 1 and none of this runs.
 */
public final class AsPid1 {

    /** The trial's deadline, epoch milliseconds, passed by Init when the booted slot is on trial. */
    public static final String TRIAL_DEADLINE_PROPERTY = "kiln.trial.deadline-millis";

    private AsPid1() {
    }

    public static boolean isPid1() {
        return ProcessHandle.current().pid() == 1;
    }

    /** Starts the reaper and the trial's watch; a signal that ends the JVM closes the machine and reboots it. */
    public static void start(Machine machine) {
        Reaper.start();
        Long deadline = Long.getLong(TRIAL_DEADLINE_PROPERTY);
        if (deadline != null) {
            Thread watch = new Thread(() -> watchTrial(machine, deadline), "trial-deadline");
            watch.setDaemon(true);
            watch.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            machine.close();
            end(ExitCode.FAILURE.code());
        }, "node-init-shutdown"));
    }

    private static void watchTrial(Machine machine, long deadlineMillis) {
        try {
            Thread.sleep(Math.max(0, deadlineMillis - System.currentTimeMillis()));
            if (machine.version().trial()) {
                Init.say("trial not confirmed healthy by its deadline; rebooting");
                machine.close();
                end(ExitCode.FAILURE.code());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            Init.say("trial deadline: cannot read META, rebooting: " + e.getMessage());
            machine.close();
            end(ExitCode.FAILURE.code());
        }
    }

    /** Ends the machine as node-init's exit code asks; does not return. */
    public static void end(int exitCode) {
        System.out.flush();
        System.err.flush();
        KernelPower.perform(PowerAction.forExit(exitCode));
    }
}
