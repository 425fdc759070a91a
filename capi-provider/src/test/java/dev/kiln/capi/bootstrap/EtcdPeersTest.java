package dev.kiln.capi.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.bootstrap.EtcdPeers.ControlPlaneMachine;
import dev.kiln.capi.cluster.KilnServerAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class EtcdPeersTest {

    private static final OptionalInt NO_CONTROL_PLANE_REPLICAS = OptionalInt.empty();
    private static final OptionalInt THREE = OptionalInt.of(3);

    @Test
    void listsTheOtherControlPlaneServersEtcdClientUrlsSorted() {
        List<String> peers = EtcdPeers.clientUrls("cp2", List.of(
                new ControlPlaneMachine("cp3", "10.0.0.3:50000"),
                new ControlPlaneMachine("cp2", "10.0.0.2:50000"),
                new ControlPlaneMachine("cp1", "10.0.0.1:50000")));
        assertEquals(List.of("https://10.0.0.1:2379", "https://10.0.0.3:2379"), peers);
    }

    @Test
    void leavesOutMachinesThatHaveNoServerYet() {
        List<String> peers = EtcdPeers.clientUrls("cp2", List.of(
                new ControlPlaneMachine("cp1", null),
                new ControlPlaneMachine("cp3", "10.0.0.3:50000")));
        assertEquals(List.of("https://10.0.0.3:2379"), peers);
    }

    @Test
    void isEmptyForTheFirstControlPlaneMachine() {
        assertEquals(List.of(), EtcdPeers.clientUrls("cp1", List.of(new ControlPlaneMachine("cp1", "10.0.0.1:50000"))));
    }

    @Test
    void bracketsIpv6Hosts() {
        assertEquals(List.of("https://[fd00::1]:2379"),
                EtcdPeers.clientUrls("cp2", List.of(new ControlPlaneMachine("cp1", "[fd00::1]:50000"))));
    }

    @Test
    void theEtcdClientUrlOfAnAddressTakesItsHostOnEtcdsClientPort() {
        assertEquals("https://10.0.0.1:2379", KilnServerAddress.etcdClientUrl("10.0.0.1:50000"));
        assertEquals("https://node-1.example:2379", KilnServerAddress.etcdClientUrl("node-1.example:50000"));
        assertEquals("https://node-1.example:2379", KilnServerAddress.etcdClientUrl("node-1.example"));
        assertEquals("https://[fd00::1]:2379", KilnServerAddress.etcdClientUrl("[fd00::1]:50000"));
        assertEquals("https://[fd00::1]:2379", KilnServerAddress.etcdClientUrl("fd00::1"));
    }

    private static ControlPlaneMachine waiting(String name, long created) {
        return new ControlPlaneMachine(name, "10.0.0." + created + ":50000", created, true, false);
    }

    @Test
    void theOldestLiveMachineSendsItsConfigFirst() {
        assertEquals(Optional.empty(), EtcdPeers.mustWait("a", NO_CONTROL_PLANE_REPLICAS,
                List.of(waiting("a", 1), waiting("b", 1), waiting("c", 2))));
    }

    @Test
    void anotherMachineWaitsUntilAControlPlaneMachineIsProvisioned() {
        Optional<String> why = EtcdPeers.mustWait("b", NO_CONTROL_PLANE_REPLICAS,
                List.of(waiting("a", 1), waiting("b", 1), waiting("c", 2)));
        assertTrue(why.orElseThrow().startsWith("control-plane machine a is the first"), why.toString());
    }

    @Test
    void anotherMachineGoesOnceAPeerIsProvisioned() {
        assertEquals(Optional.empty(), EtcdPeers.mustWait("c", NO_CONTROL_PLANE_REPLICAS,
                List.of(
                new ControlPlaneMachine("a", "10.0.0.1:50000", 1, true, true), waiting("c", 2))));
    }

    @Test
    void aDeletingOrFailedMachineIsNeitherFirstNorAPeer() {
        ControlPlaneMachine gone = new ControlPlaneMachine("a", "10.0.0.1:50000", 1, false, true);
        assertEquals(Optional.empty(), EtcdPeers.mustWait("b", NO_CONTROL_PLANE_REPLICAS,
                List.of(gone, waiting("b", 2), waiting("c", 3))));
        assertTrue(EtcdPeers.mustWait("c", NO_CONTROL_PLANE_REPLICAS,
                List.of(gone, waiting("b", 2), waiting("c", 3))).isPresent());
    }

    @Test
    void tiesInCreationAreBrokenByNameAsTheBootstrapPlannerDoes() {
        assertEquals(Optional.empty(), EtcdPeers.mustWait("m-a", NO_CONTROL_PLANE_REPLICAS,
                List.of(waiting("m-b", 5), waiting("m-a", 5))));
        assertTrue(EtcdPeers.mustWait("m-b", NO_CONTROL_PLANE_REPLICAS,
                List.of(waiting("m-b", 5), waiting("m-a", 5))).isPresent());
    }

    private static ControlPlaneMachine unclaimed(String name, long created) {
        return new ControlPlaneMachine(name, null, created, true, false);
    }

    @Test
    void everyConfigGoesOnceAllDesiredControlPlaneMachinesHoldServers() {
        List<ControlPlaneMachine> all = List.of(waiting("a", 1), waiting("b", 2), waiting("c", 3));
        assertEquals(Optional.empty(), EtcdPeers.mustWait("b", THREE, all));
        assertEquals(Optional.empty(), EtcdPeers.mustWait("c", THREE, all));
        assertEquals(List.of("https://10.0.0.1:2379", "https://10.0.0.2:2379"), EtcdPeers.clientUrls("c", all));
    }

    @Test
    void aConfigWaitsWhileASiblingHasNoServerAndNamesIt() {
        Optional<String> why = EtcdPeers.mustWait("b", THREE, List.of(waiting("a", 1), waiting("b", 2),
                unclaimed("c", 3)));
        assertTrue(why.orElseThrow().startsWith("control-plane machines c have no server yet"), why.toString());
    }

    @Test
    void aConfigWaitingForTheFirstMachineNamesTheMachinesWithoutAServer() {
        Optional<String> why = EtcdPeers.mustWait("b", NO_CONTROL_PLANE_REPLICAS, List.of(unclaimed("a", 1),
                waiting("b", 2), unclaimed("c", 3)));
        assertTrue(why.orElseThrow().endsWith("; without a server yet: a, c"), why.toString());
    }

    @Test
    void aConfigWaitsWhileADesiredControlPlaneMachineDoesNotExistYet() {
        Optional<String> why = EtcdPeers.mustWait("b", THREE, List.of(waiting("a", 1), waiting("b", 2)));
        assertTrue(why.orElseThrow().contains("all 3 control-plane machines exist and hold servers"), why.toString());
    }

    @Test
    void aDeletingMachineDoesNotCountTowardsTheDesiredControlPlane() {
        ControlPlaneMachine deleting = new ControlPlaneMachine("c", "10.0.0.3:50000", 3, false, false);
        assertTrue(EtcdPeers.mustWait("b", THREE, List.of(waiting("a", 1), waiting("b", 2), deleting)).isPresent());
    }

    @Test
    void theOldestWaitsWhileASiblingMayStillClaimAServerSoThatItNamesIt() {
        Optional<String> why = EtcdPeers.mustWait("a", THREE, List.of(waiting("a", 1), unclaimed("b", 2),
                unclaimed("c", 3)));
        assertTrue(why.orElseThrow().startsWith("control-plane machines b, c have no server yet"), why.toString());
    }

    @Test
    void theOldestWaitsWhileADesiredMachineDoesNotExistYet() {
        Optional<String> why = EtcdPeers.mustWait("a", THREE, List.of(waiting("a", 1), waiting("b", 2)));
        assertTrue(why.orElseThrow().startsWith("2 of 3 control-plane machines exist"), why.toString());
    }

    @Test
    void theOldestGoesWhenTheSiblingsWithoutAServerFindNoneFree() {
        ControlPlaneMachine stuck = new ControlPlaneMachine("c", null, 3, true, false, true);
        assertEquals(Optional.empty(), EtcdPeers.mustWait("a", THREE, List.of(waiting("a", 1), waiting("b", 2), stuck)));
        assertEquals(List.of("https://10.0.0.2:2379"),
                EtcdPeers.clientUrls("a", List.of(waiting("a", 1), waiting("b", 2), stuck)));
        assertTrue(EtcdPeers.mustWait("b", THREE, List.of(waiting("a", 1), waiting("b", 2), stuck)).isPresent(),
                "the others still wait for a provisioned peer");
    }
}
