package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class StatusReplaceTest {

    private static final String NS = "default";

    KubernetesClient client;

    @Test
    void aCopyThisProcessNeverWroteToDoesNotLag() {
        KilnMachine stored = client.resource(machine("untouched")).create();

        assertFalse(StatusReplace.mayLagOwnWrite(client, KilnMachine.class, stored));
    }

    @Test
    void aCopyReadBeforeOurStatusWriteLagsIt() {
        KilnMachine before = client.resource(machine("written")).create();

        StatusReplace.write(client, KilnMachine.class, before, ready(true));

        assertTrue(StatusReplace.mayLagOwnWrite(client, KilnMachine.class, before));
    }

    @Test
    void aCopyReadAfterOurStatusWriteDoesNotLagIt() {
        KilnMachine before = client.resource(machine("read-after")).create();
        StatusReplace.write(client, KilnMachine.class, before, ready(true));

        KilnMachine after = client.resources(KilnMachine.class).inNamespace(NS).withName("read-after").get();

        assertFalse(StatusReplace.mayLagOwnWrite(client, KilnMachine.class, after));
    }

    @Test
    void aLaterCopyStillHoldingOurStatusStopsLaggingOnceSeen() {
        KilnMachine before = client.resource(machine("relabelled")).create();
        StatusReplace.write(client, KilnMachine.class, before, ready(true));
        KilnMachine relabelled = client.resources(KilnMachine.class).inNamespace(NS).withName("relabelled")
                .edit(m -> {
                    m.getMetadata().setLabels(Map.of("team", "platform"));
                    return m;
                });
        assertTrue(StatusReplace.mayLagOwnWrite(client, KilnMachine.class, relabelled));

        StatusReplace.seen(client, KilnMachine.class, relabelled, relabelled.getStatus());

        assertFalse(StatusReplace.mayLagOwnWrite(client, KilnMachine.class, relabelled));
    }

    @Test
    void aLaterCopyWithAnotherStatusKeepsLagging() {
        KilnMachine before = client.resource(machine("changed")).create();
        StatusReplace.write(client, KilnMachine.class, before, ready(true));
        KilnMachine changed = client.resources(KilnMachine.class).inNamespace(NS).withName("changed").get();
        changed.setStatus(ready(false));
        changed.getMetadata().setResourceVersion("not-ours");

        StatusReplace.seen(client, KilnMachine.class, changed, changed.getStatus());

        assertTrue(StatusReplace.mayLagOwnWrite(client, KilnMachine.class, changed));
    }

    private static KilnMachine machine(String name) {
        KilnMachine machine = new KilnMachine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        return machine;
    }

    private static KilnMachineStatus ready(boolean ready) {
        KilnMachineStatus status = new KilnMachineStatus();
        status.setReady(ready);
        return status;
    }
}
