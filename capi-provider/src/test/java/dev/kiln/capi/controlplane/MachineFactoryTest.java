package dev.kiln.capi.controlplane;

import static dev.kiln.capi.controlplane.ControlPlaneWorld.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.KilnReconcilers;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.KilnMetrics;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class MachineFactoryTest {

    /** An instance field: a fresh mock API server for every test. */
    KubernetesClient client;

    @Test
    void twoInstancesThatSawTheSameMachinesCreateOneMachine() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(3);
            ControlPlaneState seenByBoth = observe(world, controlPlane);

            Outcome first = new MachineFactory(client).create(seenByBoth, "scale up from 0 to 3 machines", Optional.empty());
            Outcome second = new MachineFactory(client).create(seenByBoth, "scale up from 0 to 3 machines", Optional.empty());

            assertEquals("ScaleUp", first.decision(), first.summary());
            assertEquals("MachineNameTaken", second.reason(), second.summary());
            List<Machine> machines = client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems();
            assertEquals(1, machines.size(), "Machines");
        }
    }

    @Test
    void anInstanceThatSeesTheNewMachineCreatesTheNextOne() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(3);
            new MachineFactory(client).create(observe(world, controlPlane), "scale up from 0 to 3 machines", Optional.empty());

            Outcome next = new MachineFactory(client).create(observe(world, controlPlane),
                    "scale up from 1 to 3 machines", Optional.empty());

            assertEquals("ScaleUp", next.decision(), next.summary());
            assertEquals(2, client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems().size());
        }
    }

    private ControlPlaneState observe(ControlPlaneWorld world, KilnControlPlane controlPlane) {
        var deps = new KilnReconcilers.Dependencies(client, world.nodes, KilnMetrics.NONE, "instance",
                Clock.systemUTC());
        ControlPlaneObserver observer = new ControlPlaneObserver(client, deps.clusters(), deps.machineNodes(),
                new EtcdObserver(world.nodes), new BootstrapRecordStore(client, "instance", Clock.systemUTC()));
        return observer.observe(controlPlane, world.cluster);
    }
}
