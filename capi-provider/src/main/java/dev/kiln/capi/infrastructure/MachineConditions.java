package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.common.Progress;
import dev.kiln.capi.api.infrastructure.v1alpha1.InfrastructureInitialization;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.MachineAddress;
import dev.kiln.capi.api.infrastructure.v1alpha1.MachineAddressType;
import dev.kiln.capi.api.infrastructure.v1alpha1.ServerRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The KilnMachine status a reconcile pass records: Ready sums up ServerClaimed and Provisioned. */
final class MachineConditions {

    static final String READY = KstatusConditions.READY;
    static final String SERVER_CLAIMED = "ServerClaimed";
    static final String PROVISIONED = "Provisioned";
    /** Written while deleting: False since the node stopped answering, which bounds the wait for its reset. */
    static final String NODE_REACHABLE = "NodeReachable";

    private final Clock clock;

    MachineConditions(Clock clock) {
        this.clock = clock;
    }

    /** Blocked before a server can even be chosen (owner, cluster, bootstrap data). */
    boolean waiting(KilnMachine machine, String reason, String message) {
        return progress(machine, new Progress.Working(reason, message));
    }

    boolean noServer(KilnMachine machine, String reason, String message) {
        KilnMachineStatus status = status(machine);
        boolean changed = status.getServerRef() != null;
        status.setServerRef(null);
        changed |= set(machine, SERVER_CLAIMED, false, reason, message);
        return progress(machine, new Progress.Working(reason, message)) || changed;
    }

    boolean claimed(KilnMachine machine, String server) {
        KilnMachineStatus status = status(machine);
        boolean changed = status.getServerRef() == null || !server.equals(status.getServerRef().getName());
        status.setServerRef(new ServerRef(server));
        changed |= set(machine, SERVER_CLAIMED, true, "Claimed", "KilnServer " + server);
        return changed;
    }

    boolean provisioning(KilnMachine machine, String reason, String message) {
        boolean changed = set(machine, PROVISIONED, false, reason, message);
        return progress(machine, new Progress.Working(reason, message)) || changed;
    }

    void provisioned(KilnMachine machine, String server, String host) {
        KilnMachineStatus status = status(machine);
        status.setAddresses(List.of(new MachineAddress(MachineAddressType.INTERNAL_IP, host)));
        status.setReady(true);
        InfrastructureInitialization initialization = new InfrastructureInitialization();
        initialization.setProvisioned(true);
        status.setInitialization(initialization);
        String message = "node of KilnServer " + server + " answers configured over mutual TLS";
        set(machine, PROVISIONED, true, "NodeConfigured", message);
        progress(machine, new Progress.Done("NodeConfigured", message));
    }

    /** Paused: only Paused and observedGeneration change. */
    boolean paused(KilnMachine machine, Optional<String> why) {
        return KstatusConditions.recordPause(status(machine), why, generation(machine), clock);
    }

    boolean nodeReachable(KilnMachine machine, NodeState node) {
        return node.unreachable()
                ? set(machine, NODE_REACHABLE, false, NodeAnswer.UNREACHABLE, node.describe())
                : set(machine, NODE_REACHABLE, true, "NodeAnswers", "node " + node.address() + " answers");
    }

    /** Zero unless NodeReachable is False; then the time since it turned False. */
    Duration unreachableFor(KilnMachine machine) {
        return Conditions.get(status(machine), NODE_REACHABLE)
                .filter(c -> Conditions.FALSE.equals(c.getStatus()) && c.getLastTransitionTime() != null)
                .map(c -> Duration.between(Instant.parse(c.getLastTransitionTime()), clock.instant()))
                .orElse(Duration.ZERO);
    }

    /** Re-stamps every condition with the current generation, e.g. after the providerID write bumped it. */
    boolean observe(KilnMachine machine) {
        KilnMachineStatus status = status(machine);
        boolean changed = paused(machine, Optional.empty());
        for (Condition condition : status.getConditions() == null ? List.<Condition>of() : status.getConditions()) {
            changed |= Conditions.set(status, new Condition(condition.getType(), condition.getStatus(),
                    condition.getReason(), condition.getMessage(), generation(machine)), clock);
        }
        if (!Long.valueOf(generation(machine)).equals(status.getObservedGeneration())) {
            status.setObservedGeneration(generation(machine));
            changed = true;
        }
        return changed;
    }

    private boolean progress(KilnMachine machine, Progress progress) {
        return KstatusConditions.record(status(machine), progress, generation(machine), clock);
    }

    private boolean set(KilnMachine machine, String type, boolean value, String reason, String message) {
        KilnMachineStatus status = status(machine);
        status.setObservedGeneration(generation(machine));
        return Conditions.set(status, new Condition(type, value ? Conditions.TRUE : Conditions.FALSE, reason, message,
                generation(machine)), clock);
    }

    static KilnMachineStatus status(KilnMachine machine) {
        if (machine.getStatus() == null) {
            machine.setStatus(new KilnMachineStatus());
        }
        return machine.getStatus();
    }

    private static long generation(KilnMachine machine) {
        Long generation = machine.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }
}
