package dev.kiln.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineApiException;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node in maintenance mode refuses, with INVALID_ARGUMENT and the path, configs that would brick it at boot or
 * weaken etcd, and stays in maintenance with nothing stored. Loopback 127.0.75.x.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileConfigNodeTest {

    private TestCluster cluster;
    private NodeProcess node;

    @BeforeAll
    void startNode(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.75", work);
        node = cluster.startNode(1);
        node.awaitFingerprint(Duration.ofSeconds(60));
    }

    @AfterAll
    void stopNode() throws Exception {
        cluster.close();
    }

    private MachineApiException refused(String config) {
        try (MachineClient client = MachineClient.connect(TestCluster.nodeAddress(node),
                ClientCredentials.Maintenance.unpinned())) {
            MachineApiException refusal = assertThrows(MachineApiException.class, () -> client.applyConfiguration(
                    config.getBytes(StandardCharsets.UTF_8), Mode.AUTO, false, null));
            assertEquals("maintenance", client.version().getPlatform().getMode());
            return refusal;
        }
    }

    private void assertNothingStored() throws Exception {
        assertFalse(Files.exists(node.root().resolve("STATE").resolve("config.yaml")));
        assertEquals(1, node.boots());
    }

    private String workerWith(String machineLines) {
        return cluster.config(MachineType.WORKER, List.of()).replace("machine:\n", "machine:\n" + machineLines);
    }

    @Test
    void aCertSanThatCouldNotBeIssuedIsRefusedAndNothingIsStored() throws Exception {
        MachineApiException refusal = refused(workerWith("  certSANs:\n    - 1.2.3.4.5\n"));

        assertEquals(Status.Code.INVALID_ARGUMENT, refusal.code());
        assertTrue(refusal.status().getDescription().contains("machine.certSANs[0]: must be an IP address or an RFC 1123"),
                refusal.status().getDescription());
        assertNothingStored();
    }

    @Test
    void aRecursiveAliasIsRefusedAsAYamlProblemWithItsPath() throws Exception {
        MachineApiException refusal = refused("a: &a {b: *a}\n");

        assertEquals(Status.Code.INVALID_ARGUMENT, refusal.code());
        assertEquals("invalid machine config: a.b: recursive alias: the value contains itself",
                refusal.status().getDescription());
        assertNothingStored();
    }

    @Test
    void anEtcdFlagThatWouldDropClientCertificatesIsRefused() throws Exception {
        String config = cluster.config(MachineType.CONTROLPLANE, List.of())
                .replace("  etcd:\n", "  etcd:\n    extraArgs:\n      client-cert-auth: 'false'\n");
        MachineApiException refusal = refused(config);

        assertEquals(Status.Code.INVALID_ARGUMENT, refusal.code());
        assertTrue(refusal.status().getDescription().contains("cluster.etcd.extraArgs.client-cert-auth: may not be set"),
                refusal.status().getDescription());
        assertNothingStored();
    }

    @Test
    void aConfigOverOneMebibyteIsRefusedNamingTheBound() throws Exception {
        // over the config bound but under gRPC's 2 MiB message bound, so the node itself names its bound
        MachineApiException refusal = refused(cluster.config(MachineType.WORKER, List.of())
                + "# " + "x".repeat(1024 * 1024 + 64 * 1024) + "\n");

        assertEquals(Status.Code.INVALID_ARGUMENT, refusal.code());
        String description = refusal.status().getDescription();
        assertTrue(description.contains("at most 1048576 bytes (1 MiB)"), description);
        assertNothingStored();
    }
}
