package dev.kiln.capi;

import dev.kiln.capi.backup.KilnEtcdBackupReconciler;
import dev.kiln.capi.bootstrap.KilnConfigReconciler;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.controlplane.KilnControlPlaneReconciler;
import dev.kiln.capi.etcd.ClusterEtcdReconciler;
import dev.kiln.capi.infrastructure.KilnClusterReconciler;
import dev.kiln.capi.infrastructure.KilnMachineReconciler;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Every reconciler of Kiln's three providers, wired with what they share. The operator registers these. */
public final class KilnReconcilers {

    private KilnReconcilers() {
    }

    public static List<Reconciler<?>> create(ReconcilerDependencies deps) {
        return create(deps, EnumSet.allOf(ProviderType.class));
    }

    /** The reconcilers of the given provider types only. */
    public static List<Reconciler<?>> create(ReconcilerDependencies deps, Set<ProviderType> providers) {
        List<Reconciler<?>> reconcilers = new ArrayList<>();
        if (providers.contains(ProviderType.INFRASTRUCTURE)) {
            reconcilers.add(new KilnClusterReconciler(deps.clusters(), deps.informers(), deps.clock()));
            reconcilers.add(new KilnMachineReconciler(deps.client(), deps.nodes(), deps.events("kilnmachine"),
                    deps.clock(), KilnMachineReconciler.POLL, deps.unreachableNodeGrace(), deps.nodeEvents(),
                    deps.informers()));
        }
        if (providers.contains(ProviderType.BOOTSTRAP)) {
            reconcilers.add(new KilnConfigReconciler(deps.client(), deps.clusters(), deps.machineNodes(),
                    deps.events("kiln-bootstrap"), deps.clock(), deps.informers()));
        }
        if (providers.contains(ProviderType.CONTROL_PLANE)) {
            // the cluster's etcd (bootstrap once, membership) belongs to the control plane
            reconcilers.add(new ClusterEtcdReconciler(deps));
            reconcilers.add(new KilnControlPlaneReconciler(deps));
            reconcilers.add(new KilnEtcdBackupReconciler(deps));
        }
        return List.copyOf(reconcilers);
    }
}
