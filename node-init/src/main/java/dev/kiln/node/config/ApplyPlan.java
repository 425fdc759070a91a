package dev.kiln.node.config;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode;
import java.time.Duration;
import java.util.List;

/** What an ApplyConfiguration call will do, decided before anything is written. */
public sealed interface ApplyPlan {

    Mode mode();

    String details();

    /** Maintenance mode: keep the config, install if asked, and boot into it. */
    record LeaveMaintenance(Mode mode, String details) implements ApplyPlan {
    }

    record StoreAndReboot(Mode mode, String details) implements ApplyPlan {
    }

    record StoreAndReload(Mode mode, String details, ConfigChange change) implements ApplyPlan {
    }

    record Stage(Mode mode, String details) implements ApplyPlan {
    }

    record Trial(Mode mode, String details, ConfigChange change, Duration timeout) implements ApplyPlan {
    }

    record NoChange(Mode mode, String details) implements ApplyPlan {
    }

    record Refuse(Mode mode, String details, List<String> pathsNeedingReboot) implements ApplyPlan {
    }

    Duration DEFAULT_TRY_TIMEOUT = Duration.ofMinutes(1);

    /** Chooses the plan from the node's mode, the change the new document makes and the requested mode. */
    static ApplyPlan decide(boolean maintenance, ConfigChange change, Mode requested, Duration tryTimeout) {
        if (maintenance) {
            if (requested == Mode.TRY || requested == Mode.STAGED) {
                return new Refuse(requested, requested + " mode needs a configured node; maintenance mode takes"
                        + " AUTO, REBOOT or NO_REBOOT", List.of());
            }
            return new LeaveMaintenance(Mode.REBOOT,
                    "config stored; the node leaves maintenance mode, installs if asked and boots into it");
        }
        if (requested == Mode.STAGED) {
            return new Stage(Mode.STAGED, "config staged; it becomes active at the next reboot");
        }
        if (change.isEmpty() && requested != Mode.REBOOT) {
            return new NoChange(requested == Mode.AUTO ? Mode.NO_REBOOT : requested, "no changes");
        }
        switch (requested) {
            case REBOOT:
                return new StoreAndReboot(Mode.REBOOT, "config stored; rebooting");
            case AUTO:
                return change.appliesWithoutReboot()
                        ? new StoreAndReload(Mode.NO_REBOOT, "applied without reboot: " + change.changedPaths(), change)
                        : new StoreAndReboot(Mode.REBOOT, "rebooting to apply " + change.pathsNeedingReboot());
            case NO_REBOOT:
                return change.appliesWithoutReboot()
                        ? new StoreAndReload(Mode.NO_REBOOT, "applied without reboot: " + change.changedPaths(), change)
                        : new Refuse(Mode.NO_REBOOT, "these changes need a reboot: " + change.pathsNeedingReboot(),
                                change.pathsNeedingReboot());
            case TRY:
                Duration timeout = tryTimeout == null || tryTimeout.isZero() ? DEFAULT_TRY_TIMEOUT : tryTimeout;
                return change.appliesWithoutReboot()
                        ? new Trial(Mode.TRY, "on trial for " + timeout.toSeconds()
                                + " s; apply it again without TRY to keep it", change, timeout)
                        : new Refuse(Mode.TRY, "TRY cannot apply changes that need a reboot: "
                                + change.pathsNeedingReboot(), change.pathsNeedingReboot());
            default:
                return new Refuse(requested, "unsupported mode " + requested, List.of());
        }
    }
}
