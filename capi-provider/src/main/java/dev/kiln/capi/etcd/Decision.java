package dev.kiln.capi.etcd;

import dev.kiln.capi.cluster.KilnEvents;
import java.time.Duration;
import java.util.Objects;

/**
 * What one pass of the cluster etcd reconciler decided: the Event reason and message that record it, whether the
 * pass changed something (then it is always recorded) or only waits (then it is recorded when it differs from the
 * last decision), and when to look again.
 */
record Decision(String reason, KilnEvents.Type type, String message, boolean acted, Duration recheck) {

    /** While anything is pending: the safety resync, as Machines, KilnMachines and node events trigger a pass at once. */
    static final Duration PENDING_RECHECK = Duration.ofSeconds(30);
    /** After a change the next pass comes sooner: it confirms the change and makes the next one, if any. */
    static final Duration AFTER_CHANGE_RECHECK = Duration.ofSeconds(2);
    /** A converged, paused or stuck cluster is still looked at now and then: etcd health can change without any event. */
    static final Duration IDLE_RECHECK = Duration.ofSeconds(60);

    Decision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recheck, "recheck");
    }

    static Decision acted(String reason, String message) {
        return new Decision(reason, KilnEvents.Type.Normal, message, true, AFTER_CHANGE_RECHECK);
    }

    static Decision waiting(String reason, String message) {
        return new Decision(reason, KilnEvents.Type.Normal, message, false, PENDING_RECHECK);
    }

    static Decision warning(String reason, String message) {
        return new Decision(reason, KilnEvents.Type.Warning, message, false, PENDING_RECHECK);
    }

    /** Only a person can resolve it; looking often would change nothing. */
    static Decision stuck(String reason, String message) {
        return new Decision(reason, KilnEvents.Type.Warning, message, false, IDLE_RECHECK);
    }

    static Decision converged(String message) {
        return new Decision("EtcdConverged", KilnEvents.Type.Normal, message, false, IDLE_RECHECK);
    }

    /** The text kept in the Cluster's last-decision annotation; a change of it is what makes a wait worth an Event. */
    String summary() {
        return reason + ": " + message;
    }
}
