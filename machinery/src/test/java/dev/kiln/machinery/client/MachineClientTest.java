package dev.kiln.machinery.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.Bootstrap;
import dev.kiln.machinery.api.machine.BootstrapRequest;
import dev.kiln.machinery.api.machine.BootstrapResponse;
import dev.kiln.machinery.api.machine.Hostname;
import dev.kiln.machinery.api.machine.HostnameResponse;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Role;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a real gRPC server over real TLS on loopback. */
class MachineClientTest {

    private static final CertificateAuthority CA = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
    private static final IssuedCertificate SERVER = CA.issue(
            CertificateRequest.server("node-1", List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1)));
    private static final IssuedCertificate ADMIN = CA.issue(
            CertificateRequest.client("admin", Set.of(Role.ADMIN), Duration.ofDays(1)));

    private final AtomicInteger hostnameCalls = new AtomicInteger();
    private final AtomicInteger bootstrapCalls = new AtomicInteger();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicReference<String> callerSubject = new AtomicReference<>();
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    private NodeAddress serve(boolean requireClientCertificate) throws Exception {
        var ssl = GrpcSslContexts.forServer(pem(SERVER.certificatePem()), pem(SERVER.keyPem()));
        if (requireClientCertificate) {
            ssl.trustManager(pem(CA.certificatePem())).clientAuth(ClientAuth.REQUIRE);
        }
        ServerInterceptor recordCaller = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, io.grpc.Metadata headers,
                    ServerCallHandler<Q, R> next) {
                var session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                try {
                    callerSubject.set(((X509Certificate) session.getPeerCertificates()[0])
                            .getSubjectX500Principal().getName());
                } catch (Exception e) {
                    callerSubject.set("anonymous");
                }
                return next.startCall(call, headers);
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(ssl.build())
                .addService(ServerInterceptors.intercept(new FakeNode(), recordCaller))
                .build().start();
        return new NodeAddress("127.0.0.1", server.getPort());
    }

    private static ByteArrayInputStream pem(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private final class FakeNode extends MachineServiceGrpc.MachineServiceImplBase {
        @Override
        public void hostname(Empty request, StreamObserver<HostnameResponse> reply) {
            hostnameCalls.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                reply.onError(Status.UNAVAILABLE.withDescription("warming up").asRuntimeException());
                return;
            }
            reply.onNext(HostnameResponse.newBuilder().addMessages(Hostname.newBuilder()
                    .setMetadata(Metadata.newBuilder().setHostname("node-1")).setHostname("node-1")).build());
            reply.onCompleted();
        }

        @Override
        public void bootstrap(BootstrapRequest request, StreamObserver<BootstrapResponse> reply) {
            bootstrapCalls.incrementAndGet();
            reply.onError(Status.UNAVAILABLE.withDescription("busy").asRuntimeException());
        }
    }

    private static ClientCredentials.MutualTls adminCredentials() {
        return new ClientCredentials.MutualTls(CA.certificatePem(), ADMIN.certificatePem(), ADMIN.keyPem());
    }

    @Test
    void mutualTlsCallPresentsTheClientCertificate() throws Exception {
        NodeAddress node = serve(true);
        try (MachineClient client = MachineClient.connect(node, adminCredentials())) {
            assertEquals("node-1", client.hostname());
        }
        assertTrue(callerSubject.get().contains("O=os:admin"), callerSubject.get());
    }

    @Test
    void maintenanceAccessWithTheRightFingerprintSucceeds() throws Exception {
        NodeAddress node = serve(false);
        try (MachineClient client = MachineClient.connect(node,
                ClientCredentials.Maintenance.pinned(SERVER.fingerprint()))) {
            assertEquals("node-1", client.hostname());
        }
    }

    @Test
    void maintenanceAccessWithAnotherFingerprintIsRefusedBeforeAnyCall() throws Exception {
        NodeAddress node = serve(false);
        String wrong = "00".repeat(32);
        try (MachineClient client = MachineClient.connect(node, ClientCredentials.Maintenance.pinned(wrong),
                Duration.ofSeconds(5), RetryPolicy.none())) {
            MachineApiException error = assertThrows(MachineApiException.class, client::hostname);
            assertEquals(Status.Code.UNAVAILABLE, error.code());
        }
        assertEquals(0, hostnameCalls.get());
    }

    @Test
    void readsAreRetriedWhileTheNodeIsUnavailable() throws Exception {
        NodeAddress node = serve(true);
        failuresLeft.set(2);
        try (MachineClient client = MachineClient.connect(node, adminCredentials())) {
            assertEquals("node-1", client.hostname());
        }
        assertEquals(3, hostnameCalls.get());
    }

    @Test
    void changesAreNeverRetried() throws Exception {
        NodeAddress node = serve(true);
        try (MachineClient client = MachineClient.connect(node, adminCredentials())) {
            assertThrows(MachineApiException.class, () -> client.bootstrap(false, false));
        }
        assertEquals(1, bootstrapCalls.get());
    }

    @Test
    void errorsNameTheNodeAndTheStatusInOneLine() throws Exception {
        NodeAddress node = serve(true);
        try (MachineClient client = MachineClient.connect(node, adminCredentials())) {
            MachineApiException error = assertThrows(MachineApiException.class, () -> client.bootstrap(false, false));
            assertEquals("node " + node + ": UNAVAILABLE: busy", error.getMessage());
        }
    }

    @Test
    void bareHostGetsTheDefaultPort() {
        assertEquals(new NodeAddress("10.0.0.1", 50000), NodeAddress.parse("10.0.0.1"));
        assertEquals(new NodeAddress("10.0.0.1", 50001), NodeAddress.parse("10.0.0.1:50001"));
        assertEquals(new NodeAddress("::1", 50000), NodeAddress.parse("::1"));
        assertEquals(new NodeAddress("::1", 7), NodeAddress.parse("[::1]:7"));
    }
}
