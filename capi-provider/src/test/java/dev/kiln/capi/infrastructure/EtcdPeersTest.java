package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.infrastructure.EtcdPeers.ControlPlaneMachine;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtcdPeersTest {

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
    void hostOfAnAddressDropsPortAndBrackets() {
        assertEquals("10.0.0.1", ServerAddress.host("10.0.0.1:50000"));
        assertEquals("node-1.example", ServerAddress.host("node-1.example:50000"));
        assertEquals("node-1.example", ServerAddress.host("node-1.example"));
        assertEquals("fd00::1", ServerAddress.host("[fd00::1]:50000"));
        assertEquals("fd00::1", ServerAddress.host("fd00::1"));
    }

    private static ControlPlaneMachine waiting(String name, long created) {
        return new ControlPlaneMachine(name, "10.0.0." + created + ":50000", created, true, false);
    }

    private static ControlPlaneMachine serverless(String name, long created) {
        return new ControlPlaneMachine(name, null, created, true, false);
    }

    @Test
    void theOldestLiveMachineSendsItsConfigAtOnce() {
        assertEquals(Optional.empty(), EtcdPeers.mustWait("a", List.of(waiting("a", 1), serverless("b", 1),
                serverless("c", 2))));
    }

    @Test
    void everyMachineSendsItsConfigOnceEveryLiveControlPlaneMachineHasAServer() {
        List<ControlPlaneMachine> all = List.of(waiting("a", 1), waiting("b", 1), waiting("c", 2));
        for (String self : List.of("a", "b", "c")) {
            assertEquals(Optional.empty(), EtcdPeers.mustWait(self, all), self);
        }
    }

    @Test
    void anotherMachineWaitsWhileALiveControlPlaneMachineHasNoServerNamingIt() {
        Optional<String> why = EtcdPeers.mustWait("b", List.of(waiting("a", 1), waiting("b", 1), serverless("c", 2)));
        assertTrue(why.orElseThrow().startsWith("etcd is bootstrapped on control-plane machine a, the oldest"),
                why.toString());
        assertTrue(why.orElseThrow().contains("(c has none yet)"), why.toString());
    }

    @Test
    void anotherMachineGoesOnceAPeerIsProvisionedEvenIfAMachineHasNoServer() {
        assertEquals(Optional.empty(), EtcdPeers.mustWait("c", List.of(
                new ControlPlaneMachine("a", "10.0.0.1:50000", 1, true, true), waiting("c", 2), serverless("d", 3))));
    }

    @Test
    void aDeletingOrFailedMachineIsNeitherFirstNorAPeerNorWaitedFor() {
        ControlPlaneMachine gone = new ControlPlaneMachine("a", null, 1, false, true);
        assertEquals(Optional.empty(), EtcdPeers.mustWait("b", List.of(gone, waiting("b", 2), serverless("c", 3))));
        assertTrue(EtcdPeers.mustWait("c", List.of(gone, serverless("b", 2), waiting("c", 3))).isPresent());
        assertEquals(Optional.empty(), EtcdPeers.mustWait("c", List.of(gone, waiting("b", 2), waiting("c", 3))));
    }

    @Test
    void tiesInCreationAreBrokenByNameAsTheBootstrapPlannerDoes() {
        assertEquals(Optional.empty(), EtcdPeers.mustWait("m-a", List.of(serverless("m-b", 5), waiting("m-a", 5))));
        assertTrue(EtcdPeers.mustWait("m-b", List.of(waiting("m-b", 5), waiting("m-a", 5), serverless("m-c", 6)))
                .isPresent());
    }
}
