package dev.kiln.capi.infrastructure.upgrade;

import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts.Asked;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts.NodeReport;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep.Fail;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep.Ready;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep.Upgrade;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep.Wait;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides, from {@link WorkerUpgradeFacts} alone, whether a worker whose node answers configured is ready, must be
 * upgraded to its Machine's version first, is still upgrading, or has failed its upgrade. A pure function.
 */
public final class WorkerUpgradePlanner {

    public static final String WAITING_FOR_NODE = "WaitingForNode";
    public static final String UPGRADING = "UpgradingNode";

    private WorkerUpgradePlanner() {
    }

    public static WorkerUpgradeStep decide(WorkerUpgradeFacts facts) {
        if (facts.version().isEmpty()) {
            return new Ready("the Machine names no version; the node keeps the node-init it runs");
        }
        if (facts.image().isEmpty()) {
            return new Ready("spec.releaseImage is not set; the node keeps the node-init it runs");
        }
        String version = facts.version().get();
        String image = facts.image().get();
        Optional<Asked> asked = facts.asked().filter(a -> a.target().equals(version) && a.image().equals(image));
        if (asked.isPresent()) {
            return afterAsking(facts, asked.get(), version);
        }
        if (facts.node().isEmpty()) {
            return new Wait(WAITING_FOR_NODE, "the node did not report its version");
        }
        NodeReport node = facts.node().get();
        if (node.trial()) {
            return new Wait(WAITING_FOR_NODE, "the node runs " + node.running() + " on trial; waiting for it to "
                    + "confirm or roll back before installing " + version);
        }
        if (node.running().equals(version)) {
            return new Ready("the node runs " + version);
        }
        return new Upgrade(node.running(), version, image);
    }

    private static WorkerUpgradeStep afterAsking(WorkerUpgradeFacts facts, Asked asked, String version) {
        if (asked.refused().isPresent()) {
            return new Fail("the node refused the upgrade to " + version + ": " + asked.refused().get());
        }
        Optional<NodeReport> node = facts.node();
        Optional<String> rollback = node.flatMap(NodeReport::lastRollback);
        if (rollback.isPresent() && !rollback.equals(asked.rollbackBefore())) {
            return new Fail(rollback.get());
        }
        if (node.isPresent() && node.get().running().equals(version) && !node.get().trial()) {
            return new Ready("the node runs " + version + ", upgraded from its installed release");
        }
        Duration waited = Duration.between(asked.started(), facts.now());
        if (waited.compareTo(facts.timeout()) > 0) {
            return new Fail("the node did not report " + version + " off trial within " + facts.timeout().toMinutes()
                    + " minutes of the upgrade" + node.map(n -> " (it runs " + n.running()
                    + (n.trial() ? " on trial)" : ")")).orElse(" (it does not answer)"));
        }
        return new Wait(UPGRADING, node.map(n -> "upgrading to " + version + "; the node runs " + n.running()
                + (n.trial() ? " on trial" : "")).orElse("upgrading to " + version + "; the node is rebooting"));
    }
}
