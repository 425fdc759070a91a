package dev.kiln.capi.controlplane;

import static dev.kiln.capi.controlplane.ControlPlaneWorld.NAMESPACE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.common.ObjectRef;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineDeletion;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.EtcdMembershipReader;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.crd.CommittedCrds;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
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

            Outcome first = new MachineFactory(client, Clock.systemUTC()).create(seenByBoth, "scale up from 0 to 3 machines", List.of(Optional.empty()));
            Outcome second = new MachineFactory(client, Clock.systemUTC()).create(seenByBoth, "scale up from 0 to 3 machines", List.of(Optional.empty()));

            assertEquals("ScaleUp", first.decision(), first.summary());
            assertEquals("CreationInFlight", second.reason(), second.summary());
            List<Machine> machines = client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems();
            assertEquals(1, machines.size(), "Machines");
        }
    }

    @Test
    void everyMissingMachineIsCreatedInOnePassWithItsPartsAndLeavesNothingInFlight() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(3);

            Outcome created = new MachineFactory(client, Clock.systemUTC()).create(observe(world, controlPlane),
                    "scale up from 0 to 3 machines", List.of(Optional.empty(), Optional.empty(), Optional.empty()));

            assertEquals("ScaleUp", created.decision(), created.summary());
            List<String> machines = client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems().stream()
                    .map(m -> m.getMetadata().getName()).sorted().toList();
            assertEquals(3, machines.size(), "Machines");
            for (String name : machines) {
                assertNotNull(client.resources(KilnConfig.class).inNamespace(NAMESPACE).withName(name).get(), name);
                assertNotNull(client.resources(KilnMachine.class).inNamespace(NAMESPACE).withName(name).get(), name);
            }
            assertEquals(List.of(), new CreationLedgerStore(client).read(controlPlane)
                    .inFlight(List.of(), Instant.now()));
        }
    }

    @Test
    void anInstanceThatReadANewerControlPlaneButNotTheNewMachineWaitsForIt() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(3);
            ControlPlaneState beforeCreation = observe(world, controlPlane);
            new MachineFactory(client, Clock.systemUTC()).create(beforeCreation, "scale up from 0 to 3 machines",
                    List.of(Optional.empty()));
            KilnControlPlane statusWritten = client.resource(controlPlane).get();
            statusWritten.getMetadata().setResourceVersion(statusWritten.getMetadata().getResourceVersion() + "0");
            ControlPlaneState newerControlPlaneNoMachines = withControlPlane(beforeCreation, statusWritten);

            Outcome late = new MachineFactory(client, Clock.systemUTC()).create(newerControlPlaneNoMachines,
                    "scale up from 0 to 3 machines", List.of(Optional.empty()));

            assertEquals("CreationInFlight", late.reason(), late.summary());
            assertEquals(1, client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems().size());
        }
    }

    @Test
    void aCreatedMachineLeavesTheLedgerSoDeletingItSoonAfterBlocksNothing() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(3);
            ControlPlaneState empty = observe(world, controlPlane);
            new MachineFactory(client, Clock.systemUTC()).create(empty, "scale up from 0 to 3 machines",
                    List.of(Optional.empty()));
            client.resources(Machine.class).inNamespace(NAMESPACE).delete();
            client.resources(KilnConfig.class).inNamespace(NAMESPACE).delete();
            client.resources(KilnMachine.class).inNamespace(NAMESPACE).delete();

            Outcome again = new MachineFactory(client, Clock.systemUTC()).create(empty,
                    "scale up from 0 to 3 machines", List.of(Optional.empty()));

            assertEquals(Map.of(), new CreationLedgerStore(client).read(controlPlane).announced());
            assertEquals("ScaleUp", again.decision(), again.summary());
        }
    }

    @Test
    void anAnnouncementWhoseMachineNeverCameBlocksCreationForOneMinuteOnly() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(3);
            ControlPlaneState seen = observe(world, controlPlane);
            Instant crashed = Instant.parse("2026-12-05T09:00:00Z");
            new CreationLedgerStore(client).write(controlPlane, seen.clusterName(), CreationLedger.EMPTY,
                    Map.of("demo-never", crashed));

            Outcome within = new MachineFactory(client, Clock.fixed(crashed.plusSeconds(59), ZoneOffset.UTC))
                    .create(seen, "scale up from 0 to 3 machines", List.of(Optional.empty()));
            Outcome after = new MachineFactory(client, Clock.fixed(crashed.plusSeconds(61), ZoneOffset.UTC))
                    .create(seen, "scale up from 0 to 3 machines", List.of(Optional.empty()));

            assertEquals("CreationInFlight", within.reason(), within.summary());
            assertEquals("ScaleUp", after.decision(), after.summary());
        }
    }

    @Test
    void twoAnnouncementsFromOneReadingOfTheLedgerConflict() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(3);
            CreationLedgerStore store = new CreationLedgerStore(client);
            Instant now = Instant.parse("2026-12-05T09:00:00Z");
            store.write(controlPlane, "demo", CreationLedger.EMPTY, Map.of("demo-aaaaa", now));
            CreationLedger read = store.read(controlPlane);

            var first = store.write(controlPlane, "demo", read, read.announcing(List.of("demo-bbbbb"), List.of(), now));
            var second = store.write(controlPlane, "demo", read, read.announcing(List.of("demo-ccccc"), List.of(), now));
            var fromNothing = store.write(controlPlane, "demo", CreationLedger.EMPTY, Map.of("demo-ddddd", now));

            assertInstanceOf(CreationLedgerStore.Announcement.Recorded.class, first);
            assertInstanceOf(CreationLedgerStore.Announcement.Conflict.class, second);
            assertInstanceOf(CreationLedgerStore.Announcement.Conflict.class, fromNothing);
            assertEquals(Map.of("demo-aaaaa", now, "demo-bbbbb", now), store.read(controlPlane).announced());
        }
    }

    @Test
    void anInstanceThatSeesTheNewMachineCreatesTheNextOne() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(3);
            new MachineFactory(client, Clock.systemUTC()).create(observe(world, controlPlane), "scale up from 0 to 3 machines", List.of(Optional.empty()));

            Outcome next = new MachineFactory(client, Clock.systemUTC()).create(observe(world, controlPlane),
                    "scale up from 1 to 3 machines", List.of(Optional.empty()));

            assertEquals("ScaleUp", next.decision(), next.summary());
            assertEquals(2, client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems().size());
        }
    }

    @Test
    void deletionTimeoutsReachTheMachineAsClusterApiV1beta1Durations() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(1);
            MachineDeletion deletion = new MachineDeletion();
            deletion.setNodeDrainTimeoutSeconds(300);
            deletion.setNodeVolumeDetachTimeoutSeconds(120);
            deletion.setNodeDeletionTimeoutSeconds(10);
            controlPlane.getSpec().getMachineTemplate().getSpec().setDeletion(deletion);

            new MachineFactory(client, Clock.systemUTC()).create(observe(world, controlPlane), "scale up from 0 to 1 machine",
                    List.of(Optional.empty()));

            Machine machine = client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems().get(0);
            assertEquals(Map.of("nodeDrainTimeout", "300s", "nodeVolumeDetachTimeout", "120s",
                    "nodeDeletionTimeout", "10s"), machine.getSpec().getAdditionalProperties());
        }
    }

    @Test
    void theDeprecatedV1beta1FieldsStillMakeAMachine() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(1);
            MachineTemplate template = controlPlane.getSpec().getMachineTemplate();
            template.setInfrastructureRef(new ObjectRef(KilnCluster.GROUP + "/" + KilnCluster.VERSION,
                    "KilnMachineTemplate", template.getSpec().getInfrastructureRef().getName(), null));
            template.setSpec(null);
            template.setNodeDrainTimeout("5m");

            Outcome created = new MachineFactory(client, Clock.systemUTC()).create(observe(world, controlPlane),
                    "scale up from 0 to 1 machine",
                    List.of(Optional.empty()));

            assertEquals("ScaleUp", created.decision(), created.summary());
            Machine machine = client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems().get(0);
            assertEquals("5m", machine.getSpec().getAdditionalProperties().get("nodeDrainTimeout"));
            assertEquals(ControlPlaneWorld.TEMPLATE, client.resources(KilnMachine.class).inNamespace(NAMESPACE)
                    .withName(machine.getMetadata().getName()).get().getMetadata().getAnnotations()
                    .get(MachineFactory.CLONED_FROM_NAME));
        }
    }

    @Test
    void theMachinesInfrastructureRefHasTheVersionTheKilnMachineCrdMapsTheContractTo() {
        try (ControlPlaneWorld world = ControlPlaneWorld.create(client)) {
            KilnControlPlane controlPlane = world.createControlPlane(1);

            new MachineFactory(client, Clock.systemUTC()).create(observe(world, controlPlane), "scale up from 0 to 1 machine",
                    List.of(Optional.empty()));

            Machine machine = client.resources(Machine.class).inNamespace(NAMESPACE).list().getItems().get(0);
            String version = CommittedCrds.of(KilnMachine.class).getMetadata().getLabels()
                    .get("cluster.x-k8s.io/v1beta2");
            assertEquals(KilnCluster.GROUP + "/" + version, machine.getSpec().getInfrastructureRef().getApiVersion());
        }
    }

    private static ControlPlaneState withControlPlane(ControlPlaneState state, KilnControlPlane controlPlane) {
        return new ControlPlaneState(controlPlane, state.cluster(), state.desiredReplicas(), state.maxSurge(),
                state.replaceOutdated(), state.configHash(), state.machines(), state.etcd(), state.bootstrapRecord(),
                state.credentials());
    }

    private ControlPlaneState observe(ControlPlaneWorld world, KilnControlPlane controlPlane) {
        ControlPlaneObserver observer = new ControlPlaneObserver(client, new EtcdMembershipReader(world.nodes),
                new NodeVersionObserver(world.nodes), new BootstrapRecordStore(client, "instance", Clock.systemUTC()));
        return observer.observe(controlPlane, world.cluster, ControlPlaneReads.live(client));
    }
}
