package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.ServerRef;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which KilnMachines a change of a KilnServer reconciles: without this, every server change woke every waiting one. */
class ServerChangeConcernsTest {

    private static KilnServer server(String name, Boolean clean, Boolean inUse, Map<String, String> labels) {
        KilnServer server = new KilnServer();
        server.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withLabels(labels).build());
        server.setSpec(new KilnServerSpec("10.0.0.1:50000", "1".repeat(64)));
        if (clean != null || inUse != null) {
            KilnServerStatus status = new KilnServerStatus();
            status.setClean(clean);
            status.setInUse(inUse);
            server.setStatus(status);
        }
        return server;
    }

    private static KilnMachine machine(String heldServer, boolean provisioned) {
        KilnMachine machine = new KilnMachine();
        machine.setMetadata(new ObjectMetaBuilder().withName("m").withNamespace("ns").build());
        machine.setSpec(new KilnMachineSpec());
        KilnMachineStatus status = new KilnMachineStatus();
        if (heldServer != null) {
            status.setServerRef(new ServerRef(heldServer));
        }
        if (provisioned) {
            status.setReady(true);
            machine.getSpec().setProviderId(KilnMachineReconciler.PROVIDER_ID_PREFIX + heldServer);
        }
        machine.setStatus(status);
        return machine;
    }

    @Test
    void aServerInUseConcernsTheMachineHoldingIt() {
        assertTrue(KilnMachineReconciler.concerns(server("s1", false, true, Map.of()), machine("s1", false)));
    }

    @Test
    void aServerInUseConcernsNoMachineWaitingForAServer() {
        assertFalse(KilnMachineReconciler.concerns(server("s1", false, true, Map.of()), machine(null, false)));
    }

    @Test
    void aServerConcernsNoMachineHoldingAnotherServer() {
        assertFalse(KilnMachineReconciler.concerns(server("s1", true, false, Map.of()), machine("s2", false)));
    }

    @Test
    void aCleanFreeServerConcernsMachinesWaitingForAServer() {
        assertTrue(KilnMachineReconciler.concerns(server("s1", true, false, Map.of()), machine(null, false)));
    }

    @Test
    void aServerWithoutAVerdictConcernsMachinesWaitingForAServerSoTheyAskItsNode() {
        assertTrue(KilnMachineReconciler.concerns(server("s1", null, null, Map.of()), machine(null, false)));
    }

    @Test
    void aCleanFreeServerOutsideTheMachinesSelectorDoesNotConcernIt() {
        KilnMachine machine = machine(null, false);
        machine.getSpec().setServerSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("rack", "a")).build());

        assertFalse(KilnMachineReconciler.concerns(server("s1", true, false, Map.of("rack", "b")), machine));
        assertTrue(KilnMachineReconciler.concerns(server("s1", true, false, Map.of("rack", "a")), machine));
    }

    @Test
    void noServerChangeConcernsAProvisionedMachine() {
        assertFalse(KilnMachineReconciler.concerns(server("s1", false, true, Map.of()), machine("s1", true)));
    }
}
