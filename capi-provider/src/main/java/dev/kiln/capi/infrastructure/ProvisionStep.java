package dev.kiln.capi.infrastructure;

/** The next thing to do to a claimed server's node to get it provisioned. */
sealed interface ProvisionStep {

    /** The node waits in maintenance, reached with the pinned fingerprint: send it the config. */
    record ApplyConfig() implements ProvisionStep {
    }

    /** The node answers configured over mutual TLS: the machine is provisioned. */
    record MarkProvisioned() implements ProvisionStep {
    }

    /** Neither: ask again later and say why. */
    record Wait(String reason, String message) implements ProvisionStep {
    }

    static ProvisionStep next(NodeState node) {
        if (node.inMaintenanceByFingerprint()) {
            return new ApplyConfig();
        }
        if (node.configured()) {
            return new MarkProvisioned();
        }
        return new Wait(node.waitReason(), node.describe());
    }
}
