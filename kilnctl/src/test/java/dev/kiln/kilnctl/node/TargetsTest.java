package dev.kiln.kilnctl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.client.NodeAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static List<NodeAddress> addresses(String... hosts) {
        return List.of(hosts).stream().map(NodeAddress::parse).toList();
    }

    @Test
    void nodesAreTheTargets() {
        assertEquals(addresses("127.0.86.1", "127.0.86.2"),
                Targets.resolve(List.of("127.0.86.1", "127.0.86.2"), List.of(), List.of(), List.of("127.0.86.9")));
    }

    @Test
    void withoutNodesTheEndpointsAreTheTargets() {
        assertEquals(addresses("127.0.86.3"), Targets.resolve(List.of(), List.of("127.0.86.3"), List.of(), List.of()));
        assertEquals(addresses("127.0.86.4"), Targets.resolve(List.of(), List.of(), List.of(), List.of("127.0.86.4")));
    }

    @Test
    void theContextsNodesComeBeforeItsEndpoints() {
        assertEquals(addresses("127.0.86.5"),
                Targets.resolve(List.of(), List.of(), List.of("127.0.86.5"), List.of("127.0.86.6")));
    }

    @Test
    void nodesNamedWithTheContextsEndpointsAreDialledDirectly() {
        assertEquals(addresses("127.0.86.2"),
                Targets.resolve(List.of("127.0.86.2"), List.of(), List.of(), List.of("127.0.86.1")));
    }

    @Test
    void endpointsEqualToTheNodesAreAccepted() {
        assertEquals(addresses("127.0.86.1", "127.0.86.2"), Targets.resolve(List.of("127.0.86.1", "127.0.86.2"),
                List.of("127.0.86.2:50000", "127.0.86.1"), List.of(), List.of()));
    }

    @Test
    void anEndpointThatWouldProxyToOtherNodesIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Targets.resolve(List.of("127.0.86.2"), List.of("127.0.86.1"), List.of(), List.of()));
        assertTrue(refused.getMessage().startsWith("-e/--endpoints 127.0.86.1 differ from the nodes 127.0.86.2: "
                + "proxying through an endpoint to other nodes is not supported yet"), refused.getMessage());
    }

    @Test
    void noNodesAnywhereIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Targets.resolve(List.of(), List.of(), List.of(), List.of()));
        assertTrue(refused.getMessage().startsWith("no nodes: pass -n/--nodes or -e/--endpoints"), refused.getMessage());
    }

    @Test
    void aBadAddressNamesItsFlag() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Targets.resolve(List.of(), List.of("127.0.86.1:http"), List.of(), List.of()));
        assertEquals("-e/--endpoints: node address 127.0.86.1:http: port is not a number", refused.getMessage());
    }
}
