package dev.kiln.kilnctl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.client.NodeAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static List<NodeAddress> resolve(List<String> nodes, List<String> endpoints, List<String> contextNodes,
            List<String> contextEndpoints) {
        Targets.Route route = Targets.resolve(nodes, endpoints, contextNodes, contextEndpoints);
        assertEquals(Optional.empty(), route.endpoint());
        return route.nodes();
    }

    private static List<NodeAddress> addresses(String... hosts) {
        return List.of(hosts).stream().map(NodeAddress::parse).toList();
    }

    @Test
    void nodesAreTheTargets() {
        assertEquals(addresses("127.0.86.1", "127.0.86.2"),
                resolve(List.of("127.0.86.1", "127.0.86.2"), List.of(), List.of(), List.of("127.0.86.9")));
    }

    @Test
    void withoutNodesTheEndpointsAreTheTargets() {
        assertEquals(addresses("127.0.86.3"), resolve(List.of(), List.of("127.0.86.3"), List.of(), List.of()));
        assertEquals(addresses("127.0.86.4"), resolve(List.of(), List.of(), List.of(), List.of("127.0.86.4")));
    }

    @Test
    void theContextsNodesComeBeforeItsEndpoints() {
        assertEquals(addresses("127.0.86.5"),
                resolve(List.of(), List.of(), List.of("127.0.86.5"), List.of("127.0.86.6")));
    }

    @Test
    void nodesNamedWithTheContextsEndpointsAreDialledDirectly() {
        assertEquals(addresses("127.0.86.2"),
                resolve(List.of("127.0.86.2"), List.of(), List.of(), List.of("127.0.86.1")));
    }

    @Test
    void endpointsEqualToTheNodesAreAccepted() {
        assertEquals(addresses("127.0.86.1", "127.0.86.2"), resolve(List.of("127.0.86.1", "127.0.86.2"),
                List.of("127.0.86.2:50000", "127.0.86.1"), List.of(), List.of()));
    }

    @Test
    void anEndpointOtherThanTheNodesRelaysToThem() {
        Targets.Route route = Targets.resolve(List.of("127.0.86.2", "127.0.86.3"), List.of("127.0.86.1", "127.0.86.4"),
                List.of(), List.of());

        assertEquals(addresses("127.0.86.2", "127.0.86.3"), route.nodes());
        assertEquals(Optional.of(NodeAddress.parse("127.0.86.1")), route.endpoint());
        assertTrue(route.relays(NodeAddress.parse("127.0.86.2")));
    }

    @Test
    void theEndpointAmongTheNodesIsDialledDirectly() {
        Targets.Route route = Targets.resolve(List.of("127.0.86.1", "127.0.86.2"), List.of("127.0.86.1"),
                List.of(), List.of());

        assertFalse(route.relays(NodeAddress.parse("127.0.86.1:50000")));
    }

    @Test
    void aCommandThatDialsDirectlyRefusesARelayingEndpoint() {
        Targets.Route route = Targets.resolve(List.of("127.0.86.2"), List.of("127.0.86.1"), List.of(), List.of());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Targets.direct(route, "health"));
        assertEquals("health dials every node directly: pass the nodes alone with -n (-e/--endpoints "
                + "127.0.86.1:50000 would relay to the nodes)", refused.getMessage());
    }

    @Test
    void noNodesAnywhereIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> resolve(List.of(), List.of(), List.of(), List.of()));
        assertTrue(refused.getMessage().startsWith("no nodes: pass -n/--nodes or -e/--endpoints"), refused.getMessage());
    }

    @Test
    void aBadAddressNamesItsFlag() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> resolve(List.of(), List.of("127.0.86.1:http"), List.of(), List.of()));
        assertEquals("-e/--endpoints: node address 127.0.86.1:http: port is not a number", refused.getMessage());
    }
}
