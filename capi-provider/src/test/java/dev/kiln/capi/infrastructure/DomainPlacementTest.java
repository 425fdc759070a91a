package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DomainPlacementTest {

    private static KilnServer server(String name, String zone, boolean free) {
        KilnServer server = new KilnServer();
        server.setMetadata(new ObjectMetaBuilder().withName(name)
                .withLabels(zone == null ? Map.of() : Map.of(DomainPlacement.ZONE_LABEL, zone)).build());
        server.setSpec(new KilnServerSpec("10.0.0.1:50000", null));
        KilnServerStatus status = new KilnServerStatus();
        status.setClean(true);
        status.setInUse(!free);
        server.setStatus(status);
        return server;
    }

    private static final List<KilnServer> SERVERS = List.of(server("a1", "zone-a", true), server("b1", "zone-b", true),
            server("b2", "zone-b", false), server("none", null, true));

    @Test
    void aMachineWithoutDomainMayUseEveryServer() {
        assertEquals(SERVERS, DomainPlacement.inDomain(SERVERS, Optional.empty()));
    }

    @Test
    void aMachineWithADomainMayUseOnlyServersLabelledWithIt() {
        assertEquals(List.of("b1", "b2"), names(DomainPlacement.inDomain(SERVERS, Optional.of("zone-b"))));
        assertEquals(List.of(), DomainPlacement.inDomain(SERVERS, Optional.of("zone-c")));
    }

    @Test
    void theShortageMessageNamesTheDomainItsLabelAndTheFreeServersElsewhere() {
        assertEquals("no KilnServer in namespace ns is clean, free, matches spec.serverSelector and is in the "
                + "Machine's failure domain zone-c (label topology.kubernetes.io/zone=zone-c); clean, free matching "
                + "servers outside it: a1 (in zone-a), b1 (in zone-b), none (no topology.kubernetes.io/zone label)",
                DomainPlacement.noServerIn("zone-c", "ns", SERVERS, null));
        assertEquals("no KilnServer in namespace ns is clean, free, matches spec.serverSelector and is in the "
                + "Machine's failure domain zone-c (label topology.kubernetes.io/zone=zone-c); clean, free matching "
                + "servers outside it: none", DomainPlacement.noServerIn("zone-c", "ns",
                        List.of(server("b2", "zone-b", false)), null));
    }

    private static List<String> names(List<KilnServer> servers) {
        return servers.stream().map(s -> s.getMetadata().getName()).toList();
    }
}
