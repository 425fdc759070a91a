package dev.kiln.capi.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.kiln.machinery.cluster.MachineRole;
import dev.kiln.machinery.cluster.MachineView;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterTeardownTest {

    @Test
    void releasesTheHooksOfEveryDeletingMachineAtOnce() {
        ClusterTeardown step = ClusterTeardown.next(List.of(deleting("cp-0", true), deleting("cp-1", true),
                deleting("cp-2", false)));

        assertEquals(List.of("cp-0", "cp-1"), assertInstanceOf(ClusterTeardown.ReleaseHooks.class, step).machines());
    }

    @Test
    void waitsWhileMachinesWithoutHooksAreStillThere() {
        ClusterTeardown step = ClusterTeardown.next(List.of(deleting("cp-0", false),
                MachineView.controlPlane("cp-1", 1)));

        assertEquals(List.of("cp-0", "cp-1"),
                assertInstanceOf(ClusterTeardown.WaitForMachines.class, step).machines());
    }

    @Test
    void isDoneWhenNoControlPlaneMachineIsLeft() {
        assertInstanceOf(ClusterTeardown.Done.class, ClusterTeardown.next(List.of()));
    }

    private static MachineView deleting(String name, boolean hooked) {
        return new MachineView(name, MachineRole.CONTROL_PLANE, 0, true, true, false, Optional.of(name), hooked,
                false, false);
    }
}
