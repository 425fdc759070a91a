package dev.kiln.node.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.ParseResult;
import dev.kiln.machinery.pki.CaKeyType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.SecretsBundle;
import dev.kiln.node.testing.ConfigYaml;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newest Talos-generated control-plane config of the folder named by {@code kiln.talos.configs}
 * (docs/talos-config.md), with its Ed25519 machine CA, run on a node at 127.0.100.52. Only its etcd section is
 * adapted: a peer list naming the node. Skipped without the folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TalosGeneratedControlPlaneTest {

    private static final String RELEASE_CONFIG = "v1.15/base-controlplane.yaml";
    private static final int NODE = 52;

    private TestCluster cluster;
    private NodeProcess node;

    @BeforeAll
    void runTheTalosConfig(@TempDir Path work) throws Exception {
        String folder = System.getProperty("kiln.talos.configs");
        Assumptions.assumeTrue(folder != null && Files.isRegularFile(Path.of(folder, RELEASE_CONFIG)),
                "no Talos-generated configs: set -Dkiln.talos.configs=<folder>");
        String talos = Files.readString(Path.of(folder, RELEASE_CONFIG));
        MachineConfig parsed = ((ParseResult.Parsed) new ConfigParser().parse(talos)).config();
        CertificateAuthority machineCa = CertificateAuthority.fromPem(parsed.machine().ca().decodedCrt(),
                parsed.machine().ca().decodedKey());
        SecretsBundle kiln = SecretsBundle.generate();
        cluster = new TestCluster("127.0.100", work, new SecretsBundle(kiln.clusterId(), kiln.clusterSecret(),
                kiln.bootstrapToken(), kiln.machineToken(), kiln.secretboxEncryptionSecret(), machineCa, kiln.etcd(),
                kiln.k8s(), kiln.k8sAggregator(), kiln.serviceAccount()));
        assertEquals(CaKeyType.ED25519, machineCa.keyType());
        node = cluster.startNode(NODE);
        cluster.configure(node, withEtcdPeer(talos, "https://" + cluster.address(NODE) + ":2379"));
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    // Typed documents follow the v1alpha1 one unchanged; only the first document is edited.
    private static String withEtcdPeer(String talos, String peer) {
        int end = talos.indexOf("\n---\n");
        String first = end < 0 ? talos : talos.substring(0, end + 1);
        String rest = end < 0 ? "" : talos.substring(end + 1);
        return ConfigYaml.edit(first, tree -> ConfigYaml.at(tree, "cluster", "etcd").put("peers", List.of(peer)))
                + rest;
    }

    @Test
    @Order(1)
    void theNodeAnswersVersionOverMutualTlsToAnAdminOfTheTalosMachineCa() {
        try (MachineClient admin = cluster.admin(node)) {
            Version version = admin.version();

            assertFalse(version.getVersion().getTag().isEmpty(), version.toString());
            // Only a control plane holding the machine CA key runs the certificate service.
            assertTrue(admin.serviceList().stream().anyMatch(service -> service.getId().equals("trustd")),
                    admin.serviceList().toString());
        }
    }

    @Test
    @Order(2)
    void theNodeBootstrapsEtcd() throws Exception {
        cluster.bootstrap(node);

        assertEquals(1, cluster.awaitVotingMembers(node, 1).size());
    }
}
