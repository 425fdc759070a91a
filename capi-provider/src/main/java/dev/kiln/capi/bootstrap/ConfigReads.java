package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/** What a KilnConfig pass reads besides its Cluster: the reconciler's informers, or the server. */
record ConfigReads(CachedReads<Secret> secrets, CachedReads<Machine> machines, MachineNodes nodes,
        CachedReads<KilnControlPlane> controlPlanes) {

    static ConfigReads informers(KubernetesClient client, Context<KilnConfig> context) {
        return new ConfigReads(CachedReads.informer(client, Secret.class, context),
                CachedReads.informer(client, Machine.class, context),
                new MachineNodes(CachedReads.informer(client, KilnMachine.class, context),
                        CachedReads.informer(client, KilnServer.class, context)),
                CachedReads.informer(client, KilnControlPlane.class, context));
    }

    static ConfigReads live(KubernetesClient client) {
        return new ConfigReads(CachedReads.live(client, Secret.class), CachedReads.live(client, Machine.class),
                new MachineNodes(client), CachedReads.live(client, KilnControlPlane.class));
    }
}
