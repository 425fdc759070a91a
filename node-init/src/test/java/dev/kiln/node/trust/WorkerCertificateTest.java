package dev.kiln.node.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.api.machine.Event;
import dev.kiln.machinery.api.machine.EventsRequest;
import dev.kiln.machinery.api.machine.ServiceStateEvent;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.api.machine.ServiceInfo;
import dev.kiln.machinery.api.security.CertificateRequest;
import dev.kiln.machinery.api.security.CertificateResponse;
import dev.kiln.machinery.api.security.SecurityServiceGrpc;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.EcKeys;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.machinery.pki.Role;
import dev.kiln.machinery.trust.ServerCsr;
import dev.kiln.machinery.trust.Trustd;
import dev.kiln.node.api.ApiTls;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.testing.Await;
import dev.kiln.node.testing.ConfigYaml;
import dev.kiln.node.testing.NodeProcess;
import dev.kiln.node.testing.RawCalls;
import dev.kiln.node.testing.TestCluster;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
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
 * Workers whose config has an empty {@code machine.ca.key}, as Talos writes worker configs, against a real
 * control-plane node-init and its certificate service, over real TLS on 127.0.100.x. Worker 2 is started before the
 * control plane exists; worker 3 holds a wrong token until it is given the right one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerCertificateTest {

    private static final Duration PATIENCE = Duration.ofSeconds(90);

    private TestCluster cluster;
    private NodeProcess controlPlane;
    private NodeProcess earlyWorker;
    private NodeProcess wrongTokenWorker;
    private String workerConfig;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    void startWorkerBeforeTheControlPlane(@TempDir Path work) throws Exception {
        cluster = new TestCluster("127.0.100", work);
        workerConfig = ConfigYaml.edit(cluster.config(MachineType.WORKER, List.of()),
                tree -> ConfigYaml.at(tree, "machine", "ca").put("key", ""));
        earlyWorker = cluster.startNode(2);
        applyInMaintenance(earlyWorker, workerConfig);
        wrongTokenWorker = cluster.startNode(3);
        applyInMaintenance(wrongTokenWorker, ConfigYaml.edit(workerConfig,
                tree -> ConfigYaml.at(tree, "machine").put("token", "wrongt.0123456789abcdef")));
    }

    @AfterAll
    void stop() throws Exception {
        channels.forEach(ManagedChannel::shutdownNow);
        cluster.close();
    }

    /** Applies a config through the pinned maintenance API and waits for the reboot, without checking the CA. */
    private void applyInMaintenance(NodeProcess node, String config) throws Exception {
        String fingerprint = node.awaitFingerprint(Duration.ofSeconds(30));
        int bootsBefore = node.boots();
        try (MachineClient maintenance = MachineClient.connect(TestCluster.nodeAddress(node),
                ClientCredentials.Maintenance.pinned(fingerprint))) {
            maintenance.applyConfiguration(config.getBytes(StandardCharsets.UTF_8),
                    ApplyConfigurationRequest.Mode.AUTO, false, null);
        }
        Await.condition(node.hostname() + " rebooted", Duration.ofSeconds(60), () -> node.boots() > bootsBefore);
    }

    /** An admin channel that does not check the server certificate: the node's provisional one cannot chain. */
    private MachineServiceGrpc.MachineServiceBlockingStub adminWithoutServerCheck(NodeProcess node) {
        KilnContext admin = KilnContext.forClient(cluster.secrets().os(), "admin", Set.of(Role.ADMIN),
                List.of(node.address()));
        ManagedChannel channel = RawCalls.channel(node, Optional.empty(), Optional.of(admin.crt()),
                Optional.of(admin.key()));
        channels.add(channel);
        return MachineServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private ServiceInfo certificateService(NodeProcess node) {
        return adminWithoutServerCheck(node).serviceList(Empty.getDefaultInstance()).getMessages(0).getServicesList()
                .stream().filter(info -> info.getId().equals(ApiCertificateService.ID)).findFirst()
                .orElseThrow(() -> new AssertionError(node.hostname() + " lists no " + ApiCertificateService.ID));
    }

    private void startControlPlane() throws Exception {
        if (controlPlane == null) {
            controlPlane = cluster.startNode(1);
            cluster.configure(controlPlane, cluster.config(MachineType.CONTROLPLANE, cluster.etcdPeers(1)));
        }
    }

    private SecurityServiceGrpc.SecurityServiceBlockingStub trustd(Optional<String> token) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress(cluster.address(1), Trustd.PORT)
                .sslContext(GrpcSslContexts.forClient().trustManager(new ByteArrayInputStream(
                        cluster.secrets().os().certificatePem().getBytes(StandardCharsets.UTF_8))).build())
                .build();
        channels.add(channel);
        Metadata headers = new Metadata();
        token.ifPresent(value -> headers.put(Trustd.TOKEN, value));
        return SecurityServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private String machineToken() {
        return ConfigYaml.at(new org.yaml.snakeyaml.Yaml().load(workerConfig), "machine").get("token").toString();
    }

    private KilnContext adminContext(NodeProcess node) {
        return KilnContext.forClient(cluster.secrets().os(), "admin", Set.of(Role.ADMIN), List.of(node.address()));
    }

    private static CertificateRequest csr(KeyPair keys, List<String> dns, List<String> ips) {
        return CertificateRequest.newBuilder().setCsr(ByteString.copyFrom(ServerCsr.pem(keys, "probe", dns, ips)))
                .build();
    }

    @Test
    @Order(1)
    void aWorkerWhoseControlPlaneIsNotUpSaysWhyAndKeepsAsking() throws Exception {
        String message = Await.until("the worker reports the unreachable certificate service", PATIENCE, () -> {
            ServiceInfo info = certificateService(earlyWorker);
            return info.getHealth().getLastMessage().contains("failed: UNAVAILABLE")
                    ? Optional.of(info.getHealth().getLastMessage()) : Optional.empty();
        });

        assertTrue(message.startsWith("no certificate yet: asking the certificate service at 127.0.100.1:50001"),
                message);
        assertFalse(certificateService(earlyWorker).getHealth().getHealthy());
    }

    @Test
    @Order(2)
    void theWorkerStartedFirstGetsItsCertificateOnceTheControlPlaneIsUp() throws Exception {
        int bootsBefore = earlyWorker.boots();
        startControlPlane();

        cluster.awaitAdminVersion(earlyWorker, PATIENCE);

        // Swapped into the listening API, without a reboot.
        assertEquals(bootsBefore, earlyWorker.boots());
        // The supervisor lists the health of its last periodic check.
        String healthy = Await.until("the certificate service healthy in the service list", PATIENCE, () -> {
            ServiceInfo info = certificateService(earlyWorker);
            return info.getHealth().getHealthy() ? Optional.of(info.getHealth().getLastMessage()) : Optional.empty();
        });
        assertTrue(healthy.startsWith("serving a certificate from the certificate service at 127.0.100.1:50001"),
                healthy);
    }

    @Test
    @Order(3)
    void theServedCertificateChainsToTheMachineCaAndCarriesNoRole() throws Exception {
        startControlPlane();
        cluster.awaitAdminVersion(earlyWorker, PATIENCE);

        X509Certificate served = cluster.servedCertificate(earlyWorker);

        served.verify(cluster.secrets().os().certificate().getPublicKey());
        assertTrue(Role.fromCertificate(served).isEmpty(), served.getSubjectX500Principal().getName());
        assertFalse(served.getSubjectX500Principal().getName().contains("O="), served.getSubjectX500Principal().getName());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), served.getExtendedKeyUsage());
    }

    @Test
    @Order(4)
    void theIssuedCertificateIsKeptOnTheWorkersStatePartition() throws Exception {
        startControlPlane();
        cluster.awaitAdminVersion(earlyWorker, PATIENCE);

        Path stored = new DiskLayout(earlyWorker.root()).state().resolve("machine-api").resolve("server.crt");

        assertEquals(cluster.servedCertificate(earlyWorker), Pem.decodeCertificate(Files.readString(stored)));
    }

    @Test
    @Order(5)
    void aWrongTokenIsReportedByTheWorkerAsAnEventAndInItsServiceList() throws Exception {
        startControlPlane();

        String event = serviceEvent(wrongTokenWorker, ApiCertificateService.ID, "PERMISSION_DENIED");

        assertTrue(event.contains("token metadata does not match this node's machine.token"), event);
        // The service list shows the supervisor's last periodic health check, which may lag the event by a second.
        String health = Await.until("the service list shows the refusal", PATIENCE, () -> {
            String message = certificateService(wrongTokenWorker).getHealth().getLastMessage();
            return message.contains("PERMISSION_DENIED") ? Optional.of(message) : Optional.empty();
        });
        assertTrue(health.contains("token metadata does not match this node's machine.token"), health);
    }

    /** The first event of {@code service} whose message holds {@code text}, read over the unchecked admin channel. */
    private String serviceEvent(NodeProcess node, String service, String text) throws Exception {
        return Await.until(node.hostname() + " event of " + service + " with " + text, PATIENCE, () -> {
            var events = adminWithoutServerCheck(node).withDeadlineAfter(3, TimeUnit.SECONDS)
                    .events(EventsRequest.newBuilder().setTailEvents(-1).build());
            try {
                while (events.hasNext()) {
                    Event event = events.next();
                    if (event.getData().is(ServiceStateEvent.class)) {
                        ServiceStateEvent state = event.getData().unpack(ServiceStateEvent.class);
                        if (state.getService().equals(service) && state.getMessage().contains(text)) {
                            return Optional.of(state.getMessage());
                        }
                    }
                }
            } catch (StatusRuntimeException e) {
                // The stream follows the log; its deadline ends it once the past events are read.
            }
            return Optional.empty();
        });
    }

    @Test
    @Order(6)
    void theWorkerWithTheWrongTokenSucceedsOnceGivenTheRightOne() throws Exception {
        startControlPlane();
        int bootsBefore = wrongTokenWorker.boots();

        adminWithoutServerCheck(wrongTokenWorker).applyConfiguration(ApplyConfigurationRequest.newBuilder()
                .setData(ByteString.copyFrom(workerConfig, StandardCharsets.UTF_8))
                .setMode(ApplyConfigurationRequest.Mode.REBOOT).build());
        Await.condition("the worker rebooted", Duration.ofSeconds(60), () -> wrongTokenWorker.boots() > bootsBefore);

        cluster.awaitAdminVersion(wrongTokenWorker, PATIENCE);
    }

    @Test
    @Order(7)
    void theCertificateServiceRefusesACallWithoutToken() throws Exception {
        startControlPlane();

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> trustd(Optional.empty())
                .certificate(csr(EcKeys.generate(), List.of("probe"), List.of())));

        assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("send the cluster's machine.token"),
                refused.getStatus().getDescription());
    }

    @Test
    @Order(8)
    void theCertificateServiceRefusesAWrongToken() throws Exception {
        startControlPlane();

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> trustd(Optional.of("wrongt.0123456789abcdef"))
                        .certificate(csr(EcKeys.generate(), List.of("probe"), List.of())));

        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
    }

    @Test
    @Order(9)
    void aCertificateFromTheServiceGrantsNothingOnTheMachineApi() throws Exception {
        startControlPlane();
        KeyPair keys = EcKeys.generate();
        CertificateResponse issued = trustd(Optional.of(machineToken()))
                .certificate(csr(keys, List.of("probe"), List.of("127.0.100.9")));
        String certificatePem = issued.getCrt().toString(StandardCharsets.US_ASCII);
        ManagedChannel channel = RawCalls.channel(controlPlane, Optional.of(cluster.secrets().os().certificatePem()),
                Optional.of(certificatePem), Optional.of(Pem.encodePrivateKey(keys.getPrivate())));
        channels.add(channel);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> MachineServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
                        .version(Empty.getDefaultInstance()));

        // A server-only certificate fails the handshake (were it accepted, it would still carry no role).
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.getStatus().toString());
        assertEquals(cluster.secrets().os().certificatePem(), issued.getCa().toString(StandardCharsets.US_ASCII));
    }

    @Test
    @Order(10)
    void theCertificateServiceRefusesAUriSubjectAltName() throws Exception {
        startControlPlane();
        KeyPair keys = EcKeys.generate();
        byte[] pem = greedyCsr(keys);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> trustd(Optional.of(machineToken())).certificate(
                        CertificateRequest.newBuilder().setCsr(ByteString.copyFrom(pem)).build()));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("URI is refused"),
                refused.getStatus().getDescription());
    }

    private static byte[] greedyCsr(KeyPair keys) throws Exception {
        var extensions = new org.bouncycastle.asn1.x509.ExtensionsGenerator();
        extensions.addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName(
                        org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier, "spiffe://kiln/admin")));
        var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=probe"), keys.getPublic())
                .addAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
                        extensions.generate())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(EcKeys.SIGNATURE_ALGORITHM)
                        .build(keys.getPrivate()));
        return request.getEncoded();
    }

    @Test
    @Order(11)
    void aWorkerWithoutTheCaKeyRefusesToRelayAndSaysWhy() throws Exception {
        startControlPlane();
        cluster.awaitAdminVersion(earlyWorker, PATIENCE);
        Metadata nodes = new Metadata();
        nodes.put(Metadata.Key.of("nodes", Metadata.ASCII_STRING_MARSHALLER), cluster.address(1));
        KilnContext admin = adminContext(earlyWorker);
        ManagedChannel channel = RawCalls.channel(earlyWorker, Optional.of(cluster.secrets().os().certificatePem()),
                Optional.of(admin.crt()), Optional.of(admin.key()));
        channels.add(channel);

        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> MachineServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(nodes))
                        .withDeadlineAfter(20, TimeUnit.SECONDS).version(Empty.getDefaultInstance()));

        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().startsWith(ApiTls.NO_CA_KEY_RELAY),
                refused.getStatus().getDescription());
    }

    @Test
    @Order(12)
    void aWorkerRestartedWhileTheControlPlaneIsDownServesItsStoredCertificate() throws Exception {
        startControlPlane();
        cluster.awaitAdminVersion(earlyWorker, PATIENCE);
        X509Certificate before = cluster.servedCertificate(earlyWorker);
        controlPlane.freeze();
        try {
            earlyWorker.killWithChildren();
            earlyWorker = earlyWorker.restart();
            cluster.track(earlyWorker);

            cluster.awaitAdminVersion(earlyWorker, PATIENCE);

            assertEquals(before, cluster.servedCertificate(earlyWorker));
        } finally {
            controlPlane.thaw();
        }
    }

}
