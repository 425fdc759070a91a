package dev.kiln.capi.etcd;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.ControlPlaneMachineReader;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a cluster-etcd pass reads a cluster's control-plane Machines, their KilnMachines and KilnServers, and the
 * cluster's Secrets and bootstrap record: informers, or the server.
 */
record MachineReads(CachedReads<Machine> machines, CachedReads<KilnMachine> kilnMachines,
        CachedReads<KilnServer> servers, CachedReads<Secret> secrets, CachedReads<ConfigMap> records) {

    static MachineReads live(KubernetesClient client) {
        return new MachineReads(CachedReads.live(client, Machine.class), CachedReads.live(client, KilnMachine.class),
                CachedReads.live(client, KilnServer.class), CachedReads.live(client, Secret.class),
                CachedReads.live(client, ConfigMap.class));
    }

    /** The reconciler's informers. */
    static MachineReads informers(KubernetesClient client, Context<?> context) {
        return new MachineReads(CachedReads.informer(client, Machine.class, context),
                CachedReads.informer(client, KilnMachine.class, context),
                CachedReads.informer(client, KilnServer.class, context),
                CachedReads.informer(client, Secret.class, context),
                CachedReads.informer(client, ConfigMap.class, context));
    }

    boolean cached() {
        return machines.cached();
    }

    List<Machine> controlPlaneMachines(Cluster cluster) {
        return machines.list(cluster.getMetadata().getNamespace(),
                Map.of(KilnLabels.CLUSTER_NAME, cluster.getMetadata().getName()), Set.of(), Machine::isControlPlane);
    }

    ControlPlaneMachineReader reader() {
        return new ControlPlaneMachineReader(new MachineNodes(kilnMachines, servers));
    }
}
