package dev.kiln.capi.infrastructure.upgrade;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything {@link WorkerUpgradePlanner} looks at for one worker machine whose node answers configured, as plain data.
 *
 * @param version the version the Machine asks for (its spec.version), if any
 * @param image   where that release comes from (the KilnMachine's spec.releaseImage), if any
 * @param node    what the node said about its version this pass; empty when it did not answer
 * @param asked   the upgrade recorded on the KilnMachine, if any (it may be for an earlier target)
 * @param now     the time of this pass
 * @param timeout how long an upgraded node may take to report the target off trial before the machine fails
 */
public record WorkerUpgradeFacts(Optional<String> version, Optional<String> image, Optional<NodeReport> node,
        Optional<Asked> asked, Instant now, Duration timeout) {

    /** The node's own report: the running version, whether it is on trial, its last rollback message. */
    public record NodeReport(String running, boolean trial, Optional<String> lastRollback) {
    }

    /**
     * The record written on the KilnMachine before its node is asked to upgrade.
     *
     * @param rollbackBefore the node's last rollback message when the upgrade was asked, so an old one is not news
     * @param refused        the node's answer when it refused the upgrade (bad download, digest or archive)
     */
    public record Asked(String target, String image, Instant started, Optional<String> rollbackBefore,
            Optional<String> refused) {
    }
}
