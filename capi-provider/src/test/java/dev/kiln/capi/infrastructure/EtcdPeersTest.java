package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.infrastructure.EtcdPeers.ControlPlaneMachine;
import java.util.List;
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
}
