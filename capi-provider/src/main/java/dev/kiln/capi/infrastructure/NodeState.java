package dev.kiln.capi.infrastructure;

/**
 * A server's node as seen through both ways in: maintenance access pinned to the server's fingerprint, and mutual
 * TLS with the cluster's CA. Only these answers, never their absence, decide what the operator does to a node.
 */
record NodeState(String address, NodeAnswer pinned, NodeAnswer mutualTls) {

    boolean inMaintenanceByFingerprint() {
        return pinned instanceof NodeAnswer.Maintenance;
    }

    boolean configured() {
        return mutualTls instanceof NodeAnswer.Configured;
    }

    /** Answers neither way and mutual TLS cannot even connect: a dead or cut-off machine, not a refusing one. */
    boolean unreachable() {
        return !inMaintenanceByFingerprint() && !(pinned instanceof NodeAnswer.Configured)
                && mutualTls instanceof NodeAnswer.Failed failed && NodeAnswer.UNREACHABLE.equals(failed.reason());
    }

    /** The condition reason for a node that is neither: the mutual TLS failure first, as that is where we wait. */
    String waitReason() {
        if (mutualTls instanceof NodeAnswer.Failed failed) {
            return failed.reason();
        }
        if (pinned instanceof NodeAnswer.Failed failed) {
            return failed.reason();
        }
        return "NodeNotReady";
    }

    String describe() {
        return "node " + address + ": pinned maintenance access: " + pinned.describe() + "; mutual TLS: "
                + mutualTls.describe();
    }
}
