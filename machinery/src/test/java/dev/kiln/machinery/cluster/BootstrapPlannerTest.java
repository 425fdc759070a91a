package dev.kiln.machinery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.cluster.AfterBootstrapCall.CheckAgain;
import dev.kiln.machinery.cluster.AfterBootstrapCall.MarkCompleted;
import dev.kiln.machinery.cluster.BootstrapDecision.AlreadyBootstrapped;
import dev.kiln.machinery.cluster.BootstrapDecision.CallBootstrap;
import dev.kiln.machinery.cluster.BootstrapDecision.CreateRecord;
import dev.kiln.machinery.cluster.BootstrapDecision.Stuck;
import dev.kiln.machinery.cluster.BootstrapDecision.WaitForBootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BootstrapPlannerTest {

    private static final int READY = 0;
    private static final int NOT_READY = 1;
    private static final int DELETING = 2;
    private static final int FAILED = 3;
    private static final int WORKER = 4;
    private static final int STATES = 5;

    @Test
    void createsRecordForOldestReadyControlPlaneMachine() {
        List<MachineView> machines = List.of(
                MachineView.controlPlane("c", 1),
                MachineView.controlPlane("b", 1),
                MachineView.controlPlane("a", 2),
                MachineView.worker("w", 0),
                MachineView.controlPlane("z", 0).withReady(false));
        assertEquals(new CreateRecord("b"), BootstrapPlanner.decide(machines, Optional.empty()));
    }

    @Test
    void withoutARecordEtcdAlreadyRunningOnANodeIsRecordedNeverBootstrappedAgain() {
        List<MachineView> machines = List.of(
                MachineView.controlPlane("new-oldest", 0),
                MachineView.controlPlane("cp-b", 1),
                MachineView.controlPlane("cp-a", 2));
        assertEquals(new BootstrapDecision.RecordExisting("cp-a", "1f"), BootstrapPlanner.decide(machines,
                Optional.empty(), Map.of("cp-b", "1f", "cp-a", "1f")));
    }

    @Test
    void withoutARecordTwoEtcdClustersOnTheNodesAreStuck() {
        List<MachineView> machines = List.of(MachineView.controlPlane("a", 1), MachineView.controlPlane("b", 2));
        BootstrapDecision decision = BootstrapPlanner.decide(machines, Optional.empty(), Map.of("a", "1f", "b", "2e"));
        assertTrue(decision instanceof Stuck, decision.toString());
    }

    @Test
    void aCompletedRecordWinsOverWhatTheNodesReport() {
        List<MachineView> machines = List.of(MachineView.controlPlane("a", 1));
        assertEquals(new AlreadyBootstrapped("1f"), BootstrapPlanner.decide(machines,
                Optional.of(new BootstrapRecordView("a", true, "1f")), Map.of("a", "1f")));
    }

    @Test
    void waitsWhenNoMachineIsReady() {
        List<MachineView> machines = List.of(MachineView.controlPlane("a", 1).withReady(false));
        assertTrue(BootstrapPlanner.decide(machines, Optional.empty()) instanceof WaitForBootstrap);
        assertTrue(BootstrapPlanner.decide(List.of(), Optional.empty()) instanceof WaitForBootstrap);
    }

    @Test
    void callsBootstrapOnlyOnTheRecordedMachine() {
        List<MachineView> machines = List.of(MachineView.controlPlane("a", 1), MachineView.controlPlane("b", 2));
        assertEquals(new CallBootstrap("b"),
                BootstrapPlanner.decide(machines, Optional.of(BootstrapRecordView.pending("b"))));
    }

    @Test
    void completedRecordMeansAlreadyBootstrapped() {
        assertEquals(new AlreadyBootstrapped("c1d"),
                BootstrapPlanner.decide(List.of(), Optional.of(BootstrapRecordView.completed("gone", "c1d"))));
    }

    @Test
    void recordedMachineGoneBeforeCompletionIsStuckNotRebootstrapped() {
        List<MachineView> machines = List.of(MachineView.controlPlane("b", 2));
        BootstrapDecision decision = BootstrapPlanner.decide(machines, Optional.of(BootstrapRecordView.pending("a")));
        assertTrue(decision instanceof Stuck, decision.toString());
        assertTrue(((Stuck) decision).reason().contains("a is gone"), decision.toString());
    }

    @Test
    void alreadyExistsCountsOnlyWithHealthyEtcd() {
        assertEquals(new MarkCompleted("id"), BootstrapPlanner.afterBootstrapCall(
                BootstrapCallResult.ALREADY_EXISTS, true, Optional.of("id")));
        assertTrue(BootstrapPlanner.afterBootstrapCall(BootstrapCallResult.ALREADY_EXISTS, false, Optional.of("id"))
                instanceof CheckAgain);
    }

    @Test
    void everyBootstrapCallOutcomeIsInterpreted() {
        for (BootstrapCallResult result : BootstrapCallResult.values()) {
            for (boolean healthy : new boolean[] {false, true}) {
                for (Optional<String> id : List.of(Optional.<String>empty(), Optional.of(" "), Optional.of("id"))) {
                    AfterBootstrapCall after = BootstrapPlanner.afterBootstrapCall(result, healthy, id);
                    boolean complete = result != BootstrapCallResult.FAILED && healthy && id.equals(Optional.of("id"));
                    if (complete) {
                        assertEquals(new MarkCompleted("id"), after, result + " " + healthy + " " + id);
                    } else {
                        assertTrue(after instanceof CheckAgain, result + " " + healthy + " " + id + ": " + after);
                    }
                }
            }
        }
    }

    /** Up to 3 machines in every state and creation-order tie, against every record; I1 must hold in all. */
    @Test
    void everySmallFleetAndRecordObeysBootstrapOnce() {
        int cases = 0;
        for (int count = 0; count <= 3; count++) {
            int combos = (int) Math.pow(STATES * 2, count);
            for (int code = 0; code < combos; code++) {
                List<MachineView> machines = fleet(count, code);
                List<Optional<BootstrapRecordView>> records = new ArrayList<>();
                records.add(Optional.empty());
                records.add(Optional.of(BootstrapRecordView.completed("m0", "cid")));
                for (String holder : List.of("m0", "m1", "m2", "gone")) {
                    records.add(Optional.of(BootstrapRecordView.pending(holder)));
                }
                for (Optional<BootstrapRecordView> record : records) {
                    checkDecision(machines, record, BootstrapPlanner.decide(machines, record));
                    cases++;
                }
            }
        }
        System.out.println("bootstrap: " + cases + " fleet/record combinations enumerated");
        assertEquals(6 * (1 + 10 + 100 + 1000), cases);
    }

    private static void checkDecision(List<MachineView> machines, Optional<BootstrapRecordView> record,
            BootstrapDecision decision) {
        String context = decision + " for " + machines + " with " + record;
        MachineView oldestReady = null;
        for (MachineView m : machines) {
            boolean eligible = m.isControlPlane() && m.ready() && !m.deleting() && !m.failed();
            if (eligible && (oldestReady == null || m.creationOrder() < oldestReady.creationOrder()
                    || (m.creationOrder() == oldestReady.creationOrder() && m.name().compareTo(oldestReady.name()) < 0))) {
                oldestReady = m;
            }
        }
        if (record.isEmpty()) {
            Object expected = oldestReady == null ? WaitForBootstrap.class : new CreateRecord(oldestReady.name());
            assertEquals(expected, oldestReady == null ? decision.getClass() : decision, context);
            return;
        }
        BootstrapRecordView held = record.get();
        if (held.completed()) {
            assertEquals(new AlreadyBootstrapped(held.etcdClusterId()), decision, context);
            return;
        }
        assertTrue(!(decision instanceof CreateRecord), "I1: a record exists, no second choice: " + context);
        MachineView holder = null;
        for (MachineView m : machines) {
            if (m.name().equals(held.machineName())) {
                holder = m;
            }
        }
        if (holder == null || !holder.isControlPlane() || holder.deleting() || holder.failed()) {
            assertTrue(decision instanceof Stuck, context);
        } else if (!holder.ready()) {
            assertTrue(decision instanceof WaitForBootstrap, context);
        } else {
            assertEquals(new CallBootstrap(held.machineName()), decision, "I1: only the holder: " + context);
        }
    }

    private static List<MachineView> fleet(int count, int code) {
        List<MachineView> machines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int digit = code % (STATES * 2);
            code /= STATES * 2;
            int state = digit % STATES;
            long order = digit / STATES;
            MachineView m = MachineView.controlPlane("m" + i, order);
            switch (state) {
                case NOT_READY -> m = m.withReady(false);
                case DELETING -> m = m.withDeleting(true);
                case FAILED -> m = m.withFailed(true);
                case WORKER -> m = MachineView.worker("m" + i, order);
                default -> {
                }
            }
            machines.add(m);
        }
        return machines;
    }
}
