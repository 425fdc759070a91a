package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.common.Progress;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts.Asked;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeFacts.NodeReport;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradePlanner;
import dev.kiln.capi.infrastructure.upgrade.WorkerUpgradeStep;
import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Installs a worker's node-init release before its KilnMachine is reported ready, as an infrastructure provider that
 * installs the OS does: when the Machine's spec.version differs from what the node runs and spec.releaseImage names
 * the release, the node is asked to upgrade, and the machine waits until the node runs the version off trial. A
 * refusal, a rollback or a node that never gets there fails the machine. Control-plane machines are left to their
 * control plane's rollout.
 */
final class WorkerUpgrade {

    /** Longer than a node's own 5-minute trial timeout, so a node that rolls itself back is reported as such. */
    static final Duration NODE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration RECHECK = Duration.ofSeconds(2);
    static final Duration FAILED_RECHECK = Duration.ofSeconds(30);
    static final String FAILED_REASON = "UpgradeFailed";
    /** Cluster API's MachineStatusError for a machine that could not be created as asked. */
    static final String FAILURE_REASON = "CreateError";

    private final KubernetesClient client;
    private final NodeConnector connector;
    private final KilnEvents events;
    private final Clock clock;
    private final Duration timeout;

    WorkerUpgrade(KubernetesClient client, NodeConnector connector, KilnEvents events, Clock clock, Duration timeout) {
        this.client = client;
        this.connector = connector;
        this.events = events;
        this.clock = clock;
        this.timeout = timeout;
    }

    /**
     * Empty when the machine may be reported ready now; otherwise the machine's status says why not and the result is
     * when to look again.
     */
    Optional<Duration> hold(KilnMachine machine, KilnServer server, Machine owner, SecretsBundle secrets) {
        if (owner.isControlPlane()) {
            return Optional.empty();
        }
        NodeCredentials credentials = new NodeCredentials.ClusterAdmin(secrets);
        String address = ServerNodes.address(server);
        Optional<NodeApi.NodeVersion> reported = version(address, credentials);
        WorkerUpgradeFacts facts = new WorkerUpgradeFacts(
                Optional.ofNullable(owner.getSpec() == null ? null : owner.getSpec().getVersion()),
                Optional.ofNullable(machine.getSpec() == null ? null : machine.getSpec().getReleaseImage()),
                reported.map(v -> new NodeReport(v.running(), v.trial(), v.lastRollback())),
                recorded(machine), clock.instant(), timeout);
        WorkerUpgradeStep step = WorkerUpgradePlanner.decide(facts);
        if (!(step instanceof WorkerUpgradeStep.Fail)) {
            clearFailure(machine);
        }
        if (step instanceof WorkerUpgradeStep.Ready) {
            return Optional.empty();
        }
        if (step instanceof WorkerUpgradeStep.Wait wait) {
            new MachineConditions(clock).provisioning(machine, wait.reason(), "node " + address + ": "
                    + wait.message());
            return Optional.of(RECHECK);
        }
        if (step instanceof WorkerUpgradeStep.Upgrade upgrade) {
            return Optional.of(upgrade(machine, address, credentials, upgrade,
                    reported.flatMap(NodeApi.NodeVersion::lastRollback)));
        }
        return Optional.of(fail(machine, address, ((WorkerUpgradeStep.Fail) step).message()));
    }

    private Duration upgrade(KilnMachine machine, String address, NodeCredentials credentials,
            WorkerUpgradeStep.Upgrade step, Optional<String> rollbackBefore) {
        WorkerUpgradeRecord.write(client, machine, new Asked(step.to(), step.image(), clock.instant(), rollbackBefore,
                Optional.empty()));
        MachineConditions conditions = new MachineConditions(clock);
        try (NodeApi node = connector.connect(address, credentials)) {
            String answer = node.upgrade(step.image(), false, false);
            String message = "node " + address + " upgrading from " + step.from() + " to " + step.to() + " ("
                    + step.image() + "): " + answer;
            events.record(machine, KilnEvents.Type.Normal, WorkerUpgradePlanner.UPGRADING, message);
            conditions.provisioning(machine, WorkerUpgradePlanner.UPGRADING, message);
            return RECHECK;
        } catch (NodeApiException e) {
            if (e.kind() == NodeApiException.Kind.UNAVAILABLE) {
                // The node may have taken it before the connection broke: the record stands and the timeout decides.
                conditions.provisioning(machine, WorkerUpgradePlanner.UPGRADING, "asked node " + address
                        + " to upgrade to " + step.to() + " but lost the connection: " + e.getMessage());
                return RECHECK;
            }
            WorkerUpgradeRecord.refused(client, machine, e.getMessage());
            return fail(machine, address, "the node refused the upgrade to " + step.to() + ": " + e.getMessage());
        }
    }

    private Duration fail(KilnMachine machine, String address, String why) {
        String message = "upgrade failed on node " + address + ": " + why;
        KilnMachineStatus status = MachineConditions.status(machine);
        long generation = machine.getMetadata().getGeneration() == null ? 0 : machine.getMetadata().getGeneration();
        boolean changed = Conditions.set(status, new Condition(MachineConditions.PROVISIONED, Conditions.FALSE,
                FAILED_REASON, message, generation), clock);
        changed |= KstatusConditions.record(status, new Progress.Stuck(FAILED_REASON, message), generation, clock);
        status.setFailureReason(FAILURE_REASON);
        status.setFailureMessage(message);
        if (changed) {
            events.record(machine, KilnEvents.Type.Warning, FAILED_REASON, message);
        }
        return FAILED_RECHECK;
    }

    // A new target (a fixed release) gets another try; the failure it replaces is no longer the machine's.
    private static void clearFailure(KilnMachine machine) {
        KilnMachineStatus status = MachineConditions.status(machine);
        if (FAILURE_REASON.equals(status.getFailureReason())) {
            status.setFailureReason(null);
            status.setFailureMessage(null);
        }
    }

    private Optional<NodeApi.NodeVersion> version(String address, NodeCredentials credentials) {
        try (NodeApi node = connector.connect(address, credentials)) {
            return Optional.of(node.version());
        } catch (NodeApiException e) {
            return Optional.empty();
        }
    }

    // From the server, not the cache: a pass on a copy that lags the record would ask the node a second time.
    private Optional<Asked> recorded(KilnMachine cached) {
        KilnMachine machine = client.resources(KilnMachine.class).inNamespace(cached.getMetadata().getNamespace())
                .withName(cached.getMetadata().getName()).get();
        Map<String, String> annotations = machine == null || machine.getMetadata().getAnnotations() == null
                ? Map.of() : machine.getMetadata().getAnnotations();
        return WorkerUpgradeRecord.read(annotations);
    }
}
