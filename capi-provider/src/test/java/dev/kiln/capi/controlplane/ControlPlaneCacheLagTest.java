package dev.kiln.capi.controlplane;

import static dev.kiln.capi.controlplane.ControlPlaneWorld.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.FixedCache;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scale-down decided on an informer's copy of the Machines: it acts only when the server agrees with that copy. */
@EnableKubernetesMockClient(crud = true)
class ControlPlaneCacheLagTest {

    KubernetesClient client;

    private ControlPlaneWorld world;
    private KilnControlPlaneReconciler reconciler;

    @BeforeEach
    void formThreeMachinesThenStopTheOperator() throws Exception {
        world = ControlPlaneWorld.create(client);
        world.spreadCreationSeconds = true;
        world.start();
        try {
            world.createControlPlane(3);
            world.growTo(3);
        } finally {
            // From here on only the test's own passes run, each on the Machines the test hands it.
            world.close();
        }
        reconciler = new KilnControlPlaneReconciler(new ReconcilerDependencies(client, world.nodes, KilnMetrics.NONE,
                "test-operator", Clock.systemUTC()), ControlPlaneWorld.RESYNC);
    }

    @Test
    void aScaleDownOnACurrentCacheDeletesTheOldestMachine() {
        String oldest = world.liveMachineNames().get(0);
        world.setReplicas(1);

        reconciler.reconcile(world.controlPlane(), cachedMachines(world.machines()));

        assertEquals(List.of(oldest), deleting());
    }

    @Test
    void aScaleDownOnACacheThatLagsADeletionDeletesNoSecondMachine() {
        List<Machine> cached = world.machines();
        String newest = world.liveMachineNames().get(2);
        client.resources(Machine.class).inNamespace(NAMESPACE).withName(newest).delete();
        world.setReplicas(1);

        reconciler.reconcile(world.controlPlane(), cachedMachines(cached));

        assertEquals(List.of(newest), deleting());
    }

    private List<String> deleting() {
        return world.machines().stream().filter(Machine::isDeleting).map(m -> m.getMetadata().getName()).toList();
    }

    private ControlPlaneReads cachedMachines(List<Machine> machines) {
        return new ControlPlaneReads(CachedReads.live(client, Cluster.class),
                CachedReads.from(client, Machine.class, new FixedCache<>(machines)),
                CachedReads.live(client, KilnMachine.class), CachedReads.live(client, KilnServer.class),
                CachedReads.live(client, KilnConfig.class), CachedReads.live(client, Secret.class),
                CachedReads.live(client, KilnMachineTemplate.class), CachedReads.live(client, ConfigMap.class));
    }
}
