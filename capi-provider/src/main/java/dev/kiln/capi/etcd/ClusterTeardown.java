package dev.kiln.capi.etcd;

import dev.kiln.machinery.cluster.MachineView;
import java.util.List;

/**
 * The etcd side of deleting a whole Cluster. Its etcd goes away with it, so no member leaves: removing members one by
 * one would only end at a last member that cannot leave, and each removal risks quorum for nothing. Kiln's
 * pre-terminate hooks are released at once and each node is reset without leaving etcd.
 */
sealed interface ClusterTeardown {

    /** Release the hooks of these deleting control-plane Machines. */
    record ReleaseHooks(List<String> machines) implements ClusterTeardown {
    }

    /** Control-plane Machines are still there (not yet deleted, or their infrastructure is being reset). */
    record WaitForMachines(List<String> machines) implements ClusterTeardown {
    }

    /** No control-plane Machine is left: nothing of etcd holds the Cluster any more. */
    record Done() implements ClusterTeardown {
    }

    static ClusterTeardown next(List<MachineView> controlPlane) {
        List<String> hooked = controlPlane.stream().filter(m -> m.deleting() && m.hasPreTerminateHook())
                .map(MachineView::name).toList();
        if (!hooked.isEmpty()) {
            return new ReleaseHooks(hooked);
        }
        if (!controlPlane.isEmpty()) {
            return new WaitForMachines(controlPlane.stream().map(MachineView::name).toList());
        }
        return new Done();
    }
}
