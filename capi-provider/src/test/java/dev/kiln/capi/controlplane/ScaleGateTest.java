package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneSpec;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.machinery.cluster.ScaleDecision;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The holds {@link ScaleGate} adds to the planner's decision; the planner itself is tested in machinery. */
class ScaleGateTest {

    private static final BootstrapRecordStore.Record COMPLETED = new BootstrapRecordStore.Record("cp-first", "op",
            Instant.EPOCH, true, "c1", "1");

    @Test
    void allowsTheFirstMachineBeforeAnyBootstrap() {
        ScaleDecision decision = ScaleGate.decide(state(3, EtcdObservation.unobserved("no machine"), Optional.empty()));

        assertInstanceOf(ScaleDecision.ScaleUp.class, decision);
    }

    @Test
    void refusesToRecreateAControlPlaneWhoseEtcdWasBootstrappedOnce() {
        ScaleDecision decision = ScaleGate.decide(state(1, EtcdObservation.unobserved("no machine"),
                Optional.of(COMPLETED)));

        Wait wait = new Wait(decision);
        assertTrue(wait.reason().contains("I1"), wait.reason());
        assertTrue(wait.reason().contains("c1-kiln-bootstrap"), wait.reason());
    }

    @Test
    void refusesEvenReplicasBeforeLookingAtEtcd() {
        ScaleDecision decision = ScaleGate.decide(state(2, EtcdObservation.unobserved("unreachable"),
                Optional.of(COMPLETED)));

        assertInstanceOf(ScaleDecision.RefuseEvenReplicas.class, decision);
    }

    @Test
    void waitsWhenEtcdCannotBeReadAfterBootstrap() {
        ScaleDecision decision = ScaleGate.decide(state(3, EtcdObservation.unobserved("all nodes unreachable"),
                Optional.of(COMPLETED), machine("cp-first")));

        assertEquals("cannot scale up from 1 to 3 machines: etcd cannot be read: all nodes unreachable",
                new Wait(decision).reason());
    }

    /** Unwraps a Wait, failing on anything else. */
    private record Wait(String reason) {
        Wait(ScaleDecision decision) {
            this(assertInstanceOf(ScaleDecision.Wait.class, decision).reason());
        }
    }

    private static ControlPlaneMachine machine(String name) {
        Machine machine = new Machine();
        machine.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("default")
                .withCreationTimestamp("2026-01-01T00:00:00Z").build());
        return new ControlPlaneMachine(machine, Optional.empty(), Optional.empty(), true);
    }

    private static ControlPlaneState state(int replicas, EtcdObservation etcd,
            Optional<BootstrapRecordStore.Record> record, ControlPlaneMachine... machines) {
        Cluster cluster = new Cluster();
        cluster.setMetadata(new ObjectMetaBuilder().withName("c1").withNamespace("default").build());
        KilnControlPlaneSpec spec = new KilnControlPlaneSpec();
        spec.setReplicas(replicas);
        KilnControlPlane controlPlane = new KilnControlPlane();
        controlPlane.setMetadata(new ObjectMetaBuilder().withName("cp").withNamespace("default").build());
        controlPlane.setSpec(spec);
        return new ControlPlaneState(controlPlane, cluster, replicas, 1, true, "hash", List.of(machines), etcd, record,
                Optional.empty());
    }
}
