package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.MachineRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.function.Consumer;

/** Writes the inventory state of a KilnServer: who holds it, whether it is clean, whether it waits in maintenance. */
final class ServerStatuses {

    static final String WIPED = "Wiped";

    private final KubernetesClient client;
    private final Clock clock;

    ServerStatuses(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    KilnServer markInUse(KilnServer server, KilnMachine machine) {
        return edit(server, status -> {
            status.setInUse(true);
            status.setMachineRef(new MachineRef(machine.getMetadata().getNamespace(), machine.getMetadata().getName(),
                    machine.getMetadata().getUid()));
        });
    }

    static boolean heldBy(KilnServer server, KilnMachine machine) {
        var status = server.getStatus();
        return status != null && Boolean.TRUE.equals(status.getInUse()) && status.getMachineRef() != null
                && machine.getMetadata().getUid().equals(status.getMachineRef().getUid());
    }

    /** Written before a config is sent: from then on the server may hold cluster secrets. */
    KilnServer markDirty(KilnServer server) {
        return edit(server, status -> status.setClean(false));
    }

    KilnServer markProvisioned(KilnServer server) {
        return edit(server, status -> {
            status.setMaintenance(false);
            status.setClean(false);
        });
    }

    /** Only after the node was seen in maintenance with its pinned fingerprint, i.e. wiped. */
    KilnServer markFreeAndClean(KilnServer server) {
        return edit(server, status -> {
            status.setInUse(false);
            status.setClean(true);
            status.setMaintenance(true);
            status.setMachineRef(null);
            Conditions.remove(status, WIPED);
        });
    }

    /**
     * A server whose status never recorded a verdict, found free and its node answering in maintenance with the
     * pinned fingerprint: the same evidence a release waits for. A verdict recorded meanwhile is kept.
     */
    KilnServer markSurveyedClean(KilnServer server) {
        return edit(server, status -> {
            if (status.getClean() == null && !Boolean.TRUE.equals(status.getInUse())) {
                status.setInUse(false);
                status.setClean(true);
                status.setMaintenance(true);
            }
        });
    }

    /** A machine let go of a server whose node never answered: free, but dirty until someone wipes it. */
    KilnServer markFreeButUnwiped(KilnServer server, String message, Clock clock) {
        return edit(server, status -> {
            status.setInUse(false);
            status.setClean(false);
            status.setMaintenance(false);
            status.setMachineRef(null);
            Long generation = server.getMetadata().getGeneration();
            Conditions.set(status, new Condition(WIPED, Conditions.FALSE, "ReleasedWithoutReset", message,
                    generation == null ? 0 : generation), clock);
        });
    }

    private KilnServer edit(KilnServer server, Consumer<KilnServerStatus> change) {
        return client.resources(KilnServer.class).inNamespace(server.getMetadata().getNamespace())
                .withName(server.getMetadata().getName())
                .editStatus(current -> {
                    KilnServerStatus status = current.getStatus() == null ? new KilnServerStatus() : current.getStatus();
                    change.accept(status);
                    Long generation = current.getMetadata().getGeneration();
                    KstatusConditions.record(status, ServerReadiness.decide(status),
                            generation == null ? 0 : generation, clock);
                    current.setStatus(status);
                    return current;
                });
    }
}
