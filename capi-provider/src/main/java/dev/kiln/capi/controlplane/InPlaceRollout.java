package dev.kiln.capi.controlplane;

import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.InProgress;
import dev.kiln.capi.controlplane.upgrade.UpgradePlanner;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Done;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.ForfeitLeadership;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Halt;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Upgrade;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Wait;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Carries out the upgrade planner's step for the InPlace strategy: records the upgrade on the Machine, then asks its
 * node; or moves etcd leadership away from the machine that goes next.
 */
final class InPlaceRollout {

    /**
     * How long an upgraded node may take to report the new version off trial. Longer than a node's own trial timeout
     * (5 minutes by default), so a node that rolls itself back is reported as rolled back, not as lost.
     */
    static final Duration NODE_TIMEOUT = Duration.ofMinutes(10);

    static final String HALT_REASON = "UpgradeFailed";
    static final String IN_PROGRESS_REASON = "UpgradeInProgress";
    /** While a machine upgrades, its node's progress is looked at this often rather than every resync. */
    static final Duration RECHECK = Duration.ofSeconds(2);

    private final KubernetesClient client;
    private final NodeConnector connector;
    private final Clock clock;

    InPlaceRollout(KubernetesClient client, NodeConnector connector, Clock clock) {
        this.client = client;
        this.connector = connector;
        this.clock = clock;
    }

    UpgradeFacts facts(ControlPlaneState state) {
        return RolloutFacts.of(state, clock.instant(), NODE_TIMEOUT);
    }

    UpgradeStep plan(UpgradeFacts facts) {
        return UpgradePlanner.decide(facts);
    }

    /** A halt, or a machine mid-upgrade, comes before any scaling or replacing the scale planner wants. */
    static boolean takesPrecedence(UpgradeFacts facts, UpgradeStep step) {
        return step instanceof Halt || UpgradePlanner.inFlight(facts);
    }

    /** The one change for {@code step}, if it asks for one. */
    Outcome act(ControlPlaneState state, UpgradeStep step) {
        String target = state.controlPlane().getSpec().getVersion();
        if (step instanceof Halt halt) {
            return new Outcome("Halt", HALT_REASON, "upgrade to " + target + " failed on machine " + halt.machine()
                    + ": " + halt.reason() + "; no further machine is upgraded until spec.version or "
                    + "spec.releaseImage changes", true);
        }
        if (step instanceof Wait wait) {
            return Outcome.waiting(IN_PROGRESS_REASON, wait.reason());
        }
        if (step instanceof ForfeitLeadership forfeit) {
            return forfeit(state, forfeit.machine());
        }
        if (step instanceof Upgrade upgrade) {
            return upgrade(state, upgrade, target);
        }
        if (step instanceof Done done) {
            return new Outcome("Steady", "AtDesiredReplicas", state.liveMachines().size() + " machines, all up to "
                    + "date; " + done.message(), false);
        }
        throw new IllegalStateException("unknown upgrade step " + step);
    }

    private Outcome forfeit(ControlPlaneState state, String machineName) {
        ControlPlaneMachine machine = machine(state, machineName);
        try (NodeApi api = connector.connect(machine.node().get().apiAddress(), state.credentials().get())) {
            String leader = api.forfeitLeadership();
            return new Outcome("ForfeitLeadership", IN_PROGRESS_REASON, "moved etcd leadership away from "
                    + machineName + (leader == null || leader.isEmpty() ? "" : " to " + leader)
                    + ", the last machine to upgrade to " + state.controlPlane().getSpec().getVersion(), false);
        } catch (RuntimeException e) {
            return Outcome.waiting(IN_PROGRESS_REASON, "could not move etcd leadership away from " + machineName
                    + " before its upgrade: " + e.getMessage());
        }
    }

    private Outcome upgrade(ControlPlaneState state, Upgrade step, String target) {
        ControlPlaneMachine machine = machine(state, step.machine());
        Optional<String> rollbackBefore = machine.reported().flatMap(NodeApi.NodeVersion::lastRollback);
        String from = machine.version().orElse("an unknown version");
        UpgradeRecord.write(client, state.namespace(), step.machine(), new InProgress(target, step.image(),
                clock.instant(), rollbackBefore, Optional.empty()));
        try (NodeApi api = connector.connect(machine.node().get().apiAddress(), state.credentials().get())) {
            String answer = api.upgrade(step.image(), false, false);
            return new Outcome("Upgrade", IN_PROGRESS_REASON, "upgrading machine " + step.machine() + " from "
                    + from + " to " + target + " (" + step.image() + "): " + answer, false);
        } catch (NodeApiException e) {
            if (e.kind() == NodeApiException.Kind.UNAVAILABLE) {
                // The node may have taken it before the connection broke: the record stands and the timeout decides.
                return Outcome.waiting(IN_PROGRESS_REASON, "asked machine " + step.machine() + " to upgrade to "
                        + target + " but lost the connection: " + e.getMessage());
            }
            UpgradeRecord.refused(client, state.namespace(), step.machine(), e.getMessage());
            return new Outcome("Upgrade", IN_PROGRESS_REASON, "machine " + step.machine() + " refused the upgrade "
                    + "to " + target + ": " + e.getMessage(), true);
        }
    }

    private static ControlPlaneMachine machine(ControlPlaneState state, String name) {
        ControlPlaneMachine machine = state.machine(name).orElseThrow(() -> new IllegalStateException(
                "the upgrade planner picked machine " + name + ", which is not one of this control plane's"));
        if (machine.node().isEmpty() || state.credentials().isEmpty()) {
            throw new IllegalStateException("the upgrade planner picked machine " + name
                    + ", whose node address or credentials are unknown");
        }
        return machine;
    }
}
