package dev.kiln.capi.infrastructure;

/** The next thing to do to a deleted machine's node before its server may be handed out again. */
sealed interface ReleaseStep {

    /** The node answers in maintenance with its pinned fingerprint: it is wiped, the server is clean. */
    record Release() implements ReleaseStep {
    }

    /**
     * The node still runs its config: reset it, gracefully (leaving etcd first) unless its whole cluster is going away,
     * when there is no etcd left to keep healthy and the last members could not leave anyway.
     */
    record Reset(boolean graceful) implements ReleaseStep {
    }

    /** Neither can be confirmed: keep the server, ask again later and say why. */
    record Wait(String reason, String message) implements ReleaseStep {
    }

    static ReleaseStep next(NodeState node, boolean clusterGoing) {
        if (node.inMaintenanceByFingerprint()) {
            return new Release();
        }
        if (node.configured()) {
            return new Reset(!clusterGoing);
        }
        return new Wait(node.waitReason(), node.describe());
    }
}
