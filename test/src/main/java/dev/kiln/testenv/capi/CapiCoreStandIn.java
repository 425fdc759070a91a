package dev.kiln.testenv.capi;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;

/** The stand-in's controllers, to register on one JOSDK operator next to the management API stand-in. */
public final class CapiCoreStandIn {

    private CapiCoreStandIn() {
    }

    public static List<Reconciler<?>> reconcilers(KubernetesClient client) {
        return List.of(new ClusterStandIn(client), new MachineStandIn(client), new MachineSetStandIn(client),
                new MachineDeploymentStandIn(client));
    }
}
