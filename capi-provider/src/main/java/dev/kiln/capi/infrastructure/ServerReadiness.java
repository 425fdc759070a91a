package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.Progress;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;

/**
 * Where a KilnServer stands, from its inventory status: free and clean, or in use with its node configured, is
 * ready; in use but not configured yet is working; free but not wiped waits for a person to wipe it.
 */
final class ServerReadiness {

    static final String AVAILABLE = "Available";
    static final String IN_USE = "InUse";
    static final String PROVISIONING = "Provisioning";
    static final String NOT_WIPED = "NotWiped";

    private ServerReadiness() {
    }

    static Progress decide(KilnServerStatus status) {
        boolean inUse = Boolean.TRUE.equals(status.getInUse());
        String machine = status.getMachineRef() == null ? "a KilnMachine" : "KilnMachine "
                + status.getMachineRef().getName();
        if (inUse) {
            return Boolean.FALSE.equals(status.getMaintenance())
                    ? new Progress.Done(IN_USE, "node configured for " + machine)
                    : new Progress.Working(PROVISIONING, "claimed by " + machine + "; its node is being configured");
        }
        if (Boolean.FALSE.equals(status.getClean())) {
            String why = Conditions.get(status, ServerStatuses.WIPED).map(c -> c.getMessage())
                    .orElse("the server was used and not seen wiped");
            return new Progress.Stuck(NOT_WIPED, why);
        }
        return new Progress.Done(AVAILABLE, "clean and free to be claimed");
    }
}
