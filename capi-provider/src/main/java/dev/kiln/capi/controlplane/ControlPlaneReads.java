package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** Where a control-plane pass reads what surrounds its KilnControlPlane: the reconciler's informers, or the server. */
record ControlPlaneReads(CachedReads<Cluster> clusters, CachedReads<Machine> machines,
        CachedReads<KilnMachine> kilnMachines, CachedReads<KilnServer> servers, CachedReads<KilnConfig> configs,
        CachedReads<Secret> secrets, CachedReads<KilnMachineTemplate> templates, CachedReads<ConfigMap> configMaps) {

    static ControlPlaneReads live(KubernetesClient client) {
        return new ControlPlaneReads(CachedReads.live(client, Cluster.class), CachedReads.live(client, Machine.class),
                CachedReads.live(client, KilnMachine.class), CachedReads.live(client, KilnServer.class),
                CachedReads.live(client, KilnConfig.class), CachedReads.live(client, Secret.class),
                CachedReads.live(client, KilnMachineTemplate.class), CachedReads.live(client, ConfigMap.class));
    }

    static ControlPlaneReads informers(KubernetesClient client, Context<?> context) {
        return new ControlPlaneReads(CachedReads.informer(client, Cluster.class, context),
                CachedReads.informer(client, Machine.class, context),
                CachedReads.informer(client, KilnMachine.class, context),
                CachedReads.informer(client, KilnServer.class, context),
                CachedReads.informer(client, KilnConfig.class, context),
                CachedReads.informer(client, Secret.class, context),
                CachedReads.informer(client, KilnMachineTemplate.class, context),
                CachedReads.informer(client, ConfigMap.class, context));
    }

    MachineNodes machineNodes() {
        return new MachineNodes(kilnMachines, servers);
    }
}
