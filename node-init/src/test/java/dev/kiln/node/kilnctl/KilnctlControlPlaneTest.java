package dev.kiln.node.kilnctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonStreamParser;
import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.node.testing.KilnctlRun;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** kilnctl's multi-node commands against a real three-node control plane with real etcd. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KilnctlControlPlaneTest {

    private TestCluster cluster;
    private List<NodeProcess> nodes;
    private Path kilnconfig;

    @BeforeAll
    void formAControlPlane(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.86", work);
        nodes = new ArrayList<>(cluster.formControlPlane(3));
        kilnconfig = Files.writeString(work.resolve("kilnconfig"), KilnConfig.of("test",
                KilnContext.forAdmin(cluster.secrets(), List.of(nodes.get(0).address()))).toYaml());
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    private KilnctlRun kilnctl(String... args) {
        return KilnctlRun.of(Optional.of(kilnconfig), args);
    }

    private String allNodes() {
        return nodes.stream().map(NodeProcess::address).collect(Collectors.joining(","));
    }

    private String endpoint(NodeProcess node) {
        return node.address() + ":" + node.port();
    }

    @Test
    @Order(1)
    void healthOfAFormedControlPlanePassesEveryCheckInTurn() {
        KilnctlRun health = kilnctl("health", "-n", allNodes(), "--wait-timeout", "3m");

        assertEquals(0, health.exit(), health.out() + health.err());
        List<String> passed = health.out().lines().filter(line -> line.endsWith(": OK")).toList();
        assertEquals(List.of("waiting for etcd to be healthy: OK",
                "waiting for etcd members to be consistent across nodes: OK",
                "waiting for etcd members to be the control plane nodes, all voting: OK",
                "waiting for all services to be running: OK",
                "waiting for versions to agree across control plane nodes: OK"), passed, health.out());
    }

    @Test
    @Order(2)
    void membersAsJsonAreOneDocumentPerNodeNamingItsNode() {
        KilnctlRun members = kilnctl("etcd", "members", "-n", allNodes(), "-o", "json");

        assertEquals(0, members.exit(), members.err());
        List<JsonObject> documents = new ArrayList<>();
        new JsonStreamParser(members.out()).forEachRemaining(document -> documents.add(document.getAsJsonObject()));
        assertEquals(nodes.stream().map(this::endpoint).toList(),
                documents.stream().map(document -> document.get("node").getAsString()).toList());
        Set<String> hostnames = nodes.stream().map(NodeProcess::hostname).collect(Collectors.toCollection(TreeSet::new));
        for (JsonObject document : documents) {
            JsonArray listed = document.getAsJsonArray("members");
            Set<String> seen = new TreeSet<>();
            for (JsonElement member : listed) {
                seen.add(member.getAsJsonObject().get("hostname").getAsString());
            }
            assertEquals(hostnames, seen, members.out());
        }
    }

    @Test
    @Order(2)
    void membersOfSeveralNodesAreOneTableWithOneHeader() {
        KilnctlRun members = kilnctl("etcd", "members", "-n", allNodes());

        assertEquals(0, members.exit(), members.err());
        List<String> lines = members.out().strip().lines().toList();
        assertEquals(List.of("NODE", "ID", "HOSTNAME", "PEER", "URLS", "CLIENT", "URLS", "LEARNER"),
                List.of(lines.get(0).split("\\s+")));
        assertEquals(1 + 3 * 3, lines.size(), members.out());
        for (String row : lines.subList(1, lines.size())) {
            assertTrue(row.split("\\s+")[1].matches("[0-9a-f]{16}"), "ID is not 16 hex digits: " + row);
        }
    }

    @Test
    @Order(2)
    void statusAsYamlNamesEachNode() {
        KilnctlRun status = kilnctl("etcd", "status", "-n", allNodes(), "-o", "yaml");

        assertEquals(0, status.exit(), status.err());
        for (NodeProcess node : nodes) {
            assertTrue(status.out().contains("node: " + endpoint(node) + "\n"), status.out());
        }
        assertEquals(3, status.out().lines().filter(line -> line.equals("---")).count(), status.out());
    }

    @Test
    @Order(2)
    void anEndpointOtherThanTheNodeRelaysTheCallToIt() {
        KilnctlRun members = kilnctl("etcd", "members", "-e", nodes.get(0).address(), "-n", nodes.get(1).address());

        assertEquals(0, members.exit(), members.err());
        List<String> rows = members.out().strip().lines().skip(1).toList();
        assertEquals(3, rows.size(), members.out());
        assertTrue(rows.stream().allMatch(row -> row.startsWith(endpoint(nodes.get(1)) + " ")), members.out());
    }

    @Test
    @Order(2)
    void endpointsAloneAreTheTargets() {
        KilnctlRun version = kilnctl("version", "-e", nodes.get(1).address());

        assertEquals(0, version.exit(), version.err());
        List<String> lines = version.out().strip().lines().toList();
        assertEquals(2, lines.size(), version.out());
        assertTrue(lines.get(1).startsWith(endpoint(nodes.get(1)) + " "), version.out());
    }

    @Test
    @Order(3)
    void healthTimesOutNamingTheFailingCheckWhenANodeIsDown() throws Exception {
        NodeProcess down = nodes.get(2);
        down.killHard();

        KilnctlRun health = kilnctl("health", "-n", allNodes(), "--wait-timeout", "3s");

        assertEquals(1, health.exit(), health.out());
        assertTrue(health.err().startsWith("error: health check \"etcd to be healthy\" did not pass within "
                + "--wait-timeout 3s: node " + endpoint(down) + ": "), health.err());
    }

    @Test
    @Order(4)
    void healthWaitsForARestartedNodeAndPassesOnceItIsBack() throws Exception {
        NodeProcess down = nodes.get(2);
        NodeProcess restarted = down.restart();
        cluster.track(restarted);
        nodes.set(2, restarted);

        KilnctlRun health = kilnctl("health", "-n", allNodes(), "--wait-timeout", "3m");

        assertEquals(0, health.exit(), health.out() + health.err());
        assertTrue(health.out().contains("waiting for etcd to be healthy: node " + endpoint(down) + ": UNAVAILABLE"),
                health.out());
        assertTrue(health.out().strip().endsWith("waiting for versions to agree across control plane nodes: OK"),
                health.out());
    }
}
