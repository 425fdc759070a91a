package dev.kiln.node.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.CaKeyType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.Role;
import dev.kiln.machinery.pki.SecretsBundle;
import dev.kiln.node.testing.ConfigYaml;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.RawCalls;
import dev.kiln.node.testing.TestCluster;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster whose machine CA has an Ed25519 key, its key written under the PEM type name Talos uses: a control plane on
 * 127.0.100.50 and a worker without {@code machine.ca.key} on 127.0.100.51, over real TLS, etcd and gRPC.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Ed25519MachineCaTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final int CONTROL_PLANE = 50;
    private static final int WORKER = 51;

    private TestCluster cluster;
    private NodeProcess controlPlane;
    private NodeProcess worker;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    void startTheControlPlane(@TempDir Path work) throws Exception {
        SecretsBundle kiln = SecretsBundle.generate();
        CertificateAuthority talosOs = CertificateAuthority.generate("talos", Duration.ofDays(365), CaKeyType.ED25519);
        cluster = new TestCluster("127.0.100", work, new SecretsBundle(kiln.clusterId(), kiln.clusterSecret(),
                kiln.bootstrapToken(), kiln.machineToken(), kiln.secretboxEncryptionSecret(), talosOs, kiln.etcd(),
                kiln.k8s(), kiln.k8sAggregator(), kiln.serviceAccount()));
        String endpoint = "https://" + cluster.address(CONTROL_PLANE) + ":6443";
        String talosKeyPem = "-----BEGIN ED25519 PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(talosOs.key().getEncoded())
                + "\n-----END ED25519 PRIVATE KEY-----\n";
        String controlPlaneConfig = ConfigYaml.edit(cluster.config(MachineType.CONTROLPLANE,
                List.of("https://" + cluster.address(CONTROL_PLANE) + ":2379")), tree -> {
                    ConfigYaml.at(tree, "machine", "ca").put("key", base64(talosKeyPem));
                    ConfigYaml.at(tree, "cluster", "controlPlane").put("endpoint", endpoint);
                });
        controlPlane = cluster.startNode(CONTROL_PLANE);
        cluster.configure(controlPlane, controlPlaneConfig);
    }

    @AfterAll
    void stop() throws Exception {
        channels.forEach(ManagedChannel::shutdownNow);
        cluster.close();
    }

    @Test
    @Order(1)
    void theControlPlaneAnswersVersionOverMutualTlsToAnAdminSignedByTheEd25519Ca() throws Exception {
        try (MachineClient admin = cluster.admin(controlPlane)) {
            Version version = admin.version();

            assertFalse(version.getVersion().getTag().isEmpty(), version.toString());
            assertNotEquals("maintenance", version.getPlatform().getMode(), version.toString());
        }
    }

    @Test
    @Order(2)
    void theControlPlaneServesACertificateTheEd25519CaSigned() throws Exception {
        X509Certificate served = cluster.servedCertificate(controlPlane);

        assertEquals("Ed25519", served.getSigAlgName());
        served.verify(cluster.secrets().os().certificate().getPublicKey());
    }

    @Test
    @Order(3)
    void theControlPlaneBootstrapsEtcd() throws Exception {
        cluster.bootstrap(controlPlane);

        assertEquals(1, cluster.awaitVotingMembers(controlPlane, 1).size());
    }

    @Test
    @Order(4)
    void aWorkerWithoutTheKeyGetsItsCertificateFromTheControlPlanesCertificateService() throws Exception {
        startWorker();

        X509Certificate served = cluster.servedCertificate(worker);

        assertEquals("Ed25519", served.getSigAlgName());
        served.verify(cluster.secrets().os().certificate().getPublicKey());
        assertTrue(Role.fromCertificate(served).isEmpty(), served.getSubjectX500Principal().getName());
    }

    /** The control plane relays with a node identity certificate it signs with the Ed25519 CA. */
    @Test
    @Order(5)
    void theControlPlaneRelaysAnAdminCallToTheWorker() throws Exception {
        startWorker();
        KilnContext admin = KilnContext.forClient(cluster.secrets().os(), "admin", Set.of(Role.ADMIN),
                List.of(controlPlane.address()));
        ManagedChannel channel = RawCalls.channel(controlPlane, Optional.of(cluster.secrets().os().certificatePem()),
                Optional.of(admin.crt()), Optional.of(admin.key()));
        channels.add(channel);
        Metadata nodes = new Metadata();
        nodes.put(Metadata.Key.of("nodes", Metadata.ASCII_STRING_MARSHALLER), worker.address());

        var reply = MachineServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(nodes))
                .withDeadlineAfter(30, TimeUnit.SECONDS).version(Empty.getDefaultInstance());

        assertEquals(1, reply.getMessagesCount());
        assertEquals("", reply.getMessages(0).getMetadata().getError(), reply.toString());
        assertEquals(worker.address(), reply.getMessages(0).getMetadata().getHostname());
    }

    private void startWorker() throws Exception {
        if (worker != null) {
            return;
        }
        String workerConfig = ConfigYaml.edit(cluster.config(MachineType.WORKER, List.of()), tree -> {
            ConfigYaml.at(tree, "machine", "ca").put("key", "");
            ConfigYaml.at(tree, "cluster", "controlPlane")
                    .put("endpoint", "https://" + cluster.address(CONTROL_PLANE) + ":6443");
        });
        worker = cluster.startNode(WORKER);
        cluster.configure(worker, workerConfig);
        cluster.awaitAdminVersion(worker, PATIENCE);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
