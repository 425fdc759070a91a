package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerChoiceTest {

    private static KilnServer server(String name, Map<String, String> labels, Boolean clean, Boolean inUse) {
        KilnServer server = new KilnServer();
        server.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build());
        server.setSpec(new KilnServerSpec("10.0.0.1:50000", null));
        KilnServerStatus status = new KilnServerStatus();
        status.setClean(clean);
        status.setInUse(inUse);
        server.setStatus(status);
        return server;
    }

    private static final Map<String, String> RACK_1 = Map.of("rack", "r1");

    @Test
    void offersCleanFreeMatchingServersByName() {
        List<KilnServer> servers = List.of(
                server("c", RACK_1, true, false),
                server("a", RACK_1, true, null),
                server("b", RACK_1, true, false));
        assertEquals(List.of("a", "b", "c"), ServerChoice.claimOrder(servers, null));
    }

    @Test
    void skipsInUseDirtyAndNeverWipedServers() {
        List<KilnServer> servers = List.of(
                server("in-use", RACK_1, true, true),
                server("dirty", RACK_1, false, false),
                server("unknown", RACK_1, null, false),
                server("free", RACK_1, true, false));
        assertEquals(List.of("free"), ServerChoice.claimOrder(servers, null));
    }

    @Test
    void skipsServersWithoutStatus() {
        KilnServer fresh = server("fresh", RACK_1, true, false);
        fresh.setStatus(null);
        assertEquals(List.of(), ServerChoice.claimOrder(List.of(fresh), null));
    }

    @Test
    void unsurveyedAreServersWithoutAVerdictThatNobodyClaims() {
        KilnServer fresh = server("fresh", RACK_1, true, false);
        fresh.setStatus(null);
        List<KilnServer> servers = List.of(
                fresh,
                server("moved-free", RACK_1, null, null),
                server("moved-claimed", RACK_1, null, null),
                server("clean", RACK_1, true, false),
                server("dirty", RACK_1, false, false),
                server("other-rack", Map.of("rack", "r2"), null, null));
        LabelSelector rack1 = new LabelSelectorBuilder().withMatchLabels(RACK_1).build();

        assertEquals(List.of("fresh", "moved-free"), ServerChoice.unsurveyed(servers, rack1, List.of("moved-claimed"))
                .stream().map(server -> server.getMetadata().getName()).toList());
    }

    @Test
    void matchLabelsMustAllHold() {
        LabelSelector selector = new LabelSelectorBuilder().withMatchLabels(Map.of("rack", "r1", "size", "l")).build();
        List<KilnServer> servers = List.of(
                server("r1-large", Map.of("rack", "r1", "size", "l"), true, false),
                server("r1", RACK_1, true, false),
                server("r2-large", Map.of("rack", "r2", "size", "l"), true, false));
        assertEquals(List.of("r1-large"), ServerChoice.claimOrder(servers, selector));
    }

    @Test
    void matchExpressionsFollowKubernetesSemantics() {
        LabelSelector selector = new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("rack").withOperator("In").withValues("r1", "r2").endMatchExpression()
                .addNewMatchExpression().withKey("broken").withOperator("DoesNotExist").endMatchExpression()
                .addNewMatchExpression().withKey("gpu").withOperator("NotIn").withValues("none").endMatchExpression()
                .build();
        List<KilnServer> servers = List.of(
                server("r1", RACK_1, true, false),
                server("r2-gpu", Map.of("rack", "r2", "gpu", "a100"), true, false),
                server("r3", Map.of("rack", "r3"), true, false),
                server("r1-broken", Map.of("rack", "r1", "broken", "yes"), true, false),
                server("r1-no-gpu", Map.of("rack", "r1", "gpu", "none"), true, false));
        assertEquals(List.of("r1", "r2-gpu"), ServerChoice.claimOrder(servers, selector));
    }

    @Test
    void anUnknownOperatorMatchesNothing() {
        LabelSelector selector = new LabelSelectorBuilder()
                .addNewMatchExpression().withKey("rack").withOperator("Gt").withValues("1").endMatchExpression().build();
        assertEquals(List.of(), ServerChoice.claimOrder(List.of(server("a", RACK_1, true, false)), selector));
    }

    @Test
    void anEmptySelectorMatchesEveryServer() {
        assertEquals(List.of("a"), ServerChoice.claimOrder(List.of(server("a", null, true, false)), new LabelSelector()));
    }
}
