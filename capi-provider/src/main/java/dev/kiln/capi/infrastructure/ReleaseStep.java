package dev.kiln.capi.infrastructure;

import java.time.Duration;

/** The next thing to do to a deleted machine's node before its server may be handed out again. */
sealed interface ReleaseStep {

    /** The node answers in maintenance with its pinned fingerprint: it is wiped, the server is clean. */
    record Release() implements ReleaseStep {
    }

    /** The node still runs its config: reset it. */
    record Reset() implements ReleaseStep {
    }

    /**
     * The node has not answered at all for longer than a deleted machine waits for it: let the machine go without a
     * wipe. The server is handed back dirty, so nobody claims it as clean.
     */
    record GiveUp(String message) implements ReleaseStep {
    }

    /** Neither can be confirmed: keep the server, ask again later and say why. */
    record Wait(String reason, String message) implements ReleaseStep {
    }

    /**
     * @param unreachableFor how long the node has been unreachable (zero while it answers)
     * @param giveUpAfter    how long a deleted machine waits for an unreachable node
     */
    static ReleaseStep next(NodeState node, Duration unreachableFor, Duration giveUpAfter) {
        if (node.inMaintenanceByFingerprint()) {
            return new Release();
        }
        if (node.configured()) {
            return new Reset();
        }
        if (node.unreachable() && unreachableFor.compareTo(giveUpAfter) >= 0) {
            return new GiveUp("node " + node.address() + " has not answered for " + unreachableFor.toSeconds()
                    + " s, so it could not be reset (" + node.describe() + ")");
        }
        return new Wait(node.waitReason(), node.describe());
    }
}
