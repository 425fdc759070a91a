package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Progress;
import dev.kiln.capi.api.infrastructure.v1alpha1.ApiEndpoint;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import dev.kiln.capi.api.infrastructure.v1alpha1.MachineRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Ready/Reconciling/Stalled decisions of KilnCluster and KilnServer. */
class ReadinessTest {

    @Test
    void aClusterWithAnEndpointHostIsDone() {
        Progress progress = KilnClusterReadiness.decide(new ApiEndpoint("10.0.0.10", 6443));
        assertInstanceOf(Progress.Done.class, progress);
        assertEquals("control-plane endpoint 10.0.0.10:6443", progress.message());
    }

    @Test
    void aClusterWithoutEndpointOrWithABlankHostIsStuck() {
        assertInstanceOf(Progress.Stuck.class, KilnClusterReadiness.decide(null));
        assertInstanceOf(Progress.Stuck.class, KilnClusterReadiness.decide(new ApiEndpoint(" ", 6443)));
        assertInstanceOf(Progress.Stuck.class, KilnClusterReadiness.decide(new ApiEndpoint(null, 6443)));
    }

    @Test
    void aFreeCleanServerIsAvailable() {
        assertServer(Progress.Done.class, ServerReadiness.AVAILABLE, server(false, true, true));
    }

    @Test
    void aServerInUseWhileItsNodeIsConfiguredIsProvisioning() {
        assertServer(Progress.Working.class, ServerReadiness.PROVISIONING, server(true, false, true));
        assertServer(Progress.Working.class, ServerReadiness.PROVISIONING, server(true, false, null));
    }

    @Test
    void aServerInUseWithItsNodeConfiguredIsDone() {
        assertServer(Progress.Done.class, ServerReadiness.IN_USE, server(true, false, false));
    }

    @Test
    void aFreeServerNotWipedIsStuckWithTheWipedMessage() {
        KilnServerStatus status = server(false, false, false);
        status.setConditions(List.of(new Condition(ServerStatuses.WIPED, Conditions.FALSE, "ReleasedWithoutReset",
                "wipe it", 1L)));
        Progress progress = assertServer(Progress.Stuck.class, ServerReadiness.NOT_WIPED, status);
        assertEquals("wipe it", progress.message());
    }

    private static KilnServerStatus server(boolean inUse, Boolean clean, Boolean maintenance) {
        KilnServerStatus status = new KilnServerStatus();
        status.setInUse(inUse);
        status.setClean(clean);
        status.setMaintenance(maintenance);
        if (inUse) {
            status.setMachineRef(new MachineRef("default", "m1", "uid-1"));
        }
        return status;
    }

    private static Progress assertServer(Class<? extends Progress> kind, String reason, KilnServerStatus status) {
        Progress progress = ServerReadiness.decide(status);
        assertInstanceOf(kind, progress);
        assertEquals(reason, progress.reason());
        return progress;
    }
}
