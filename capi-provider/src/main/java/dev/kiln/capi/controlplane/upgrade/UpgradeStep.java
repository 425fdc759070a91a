package dev.kiln.capi.controlplane.upgrade;

/** The one next step of an in-place rollout, as {@link UpgradePlanner} decides it. */
public sealed interface UpgradeStep {

    /** Every machine runs the target and its etcd member is a healthy voter. */
    record Done(String message) implements UpgradeStep {
    }

    /** Nothing to do this pass; the reason says what is awaited. */
    record Wait(String reason) implements UpgradeStep {
    }

    /** A machine's upgrade failed: no further machine is touched until the target changes. */
    record Halt(String machine, String reason) implements UpgradeStep {
    }

    /** The next machine to upgrade leads etcd: move leadership away first, so its reboot costs no election. */
    record ForfeitLeadership(String machine) implements UpgradeStep {
    }

    /** Record the upgrade on the machine, then ask its node to install {@code image} and reboot into it on trial. */
    record Upgrade(String machine, String image) implements UpgradeStep {
    }
}
