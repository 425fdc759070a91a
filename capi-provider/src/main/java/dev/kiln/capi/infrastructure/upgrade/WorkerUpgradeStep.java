package dev.kiln.capi.infrastructure.upgrade;

/** What to do about a provisioned worker's node-init version before the machine is reported ready. */
public sealed interface WorkerUpgradeStep {

    /** Nothing to install (no version or release asked, or the node runs it off trial): report the machine ready. */
    record Ready(String message) implements WorkerUpgradeStep {
    }

    /** Record the upgrade on the KilnMachine, then ask the node to install {@code image}. */
    record Upgrade(String from, String to, String image) implements WorkerUpgradeStep {
    }

    /** Look again later; {@code reason} is a condition reason. */
    record Wait(String reason, String message) implements WorkerUpgradeStep {
    }

    /** The upgrade failed for good: the node refused it, rolled back, or never reported the target off trial. */
    record Fail(String message) implements WorkerUpgradeStep {
    }
}
