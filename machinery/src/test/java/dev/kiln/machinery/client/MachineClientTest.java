package dev.kiln.machinery.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Empty;
import dev.kiln.machinery.api.common.Data;
import dev.kiln.machinery.api.common.Metadata;
import dev.kiln.machinery.api.machine.Bootstrap;
import dev.kiln.machinery.api.machine.BootstrapRequest;
import dev.kiln.machinery.api.machine.BootstrapResponse;
import dev.kiln.machinery.api.machine.EtcdRecoverResponse;
import dev.kiln.machinery.api.machine.Hostname;
import dev.kiln.machinery.api.machine.HostnameResponse;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Role;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
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
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against a real gRPC server over real TLS on loopback. */
class MachineClientTest {

    private static final CertificateAuthority CA = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
    private static final IssuedCertificate SERVER = CA.issue(
            CertificateRequest.server("node-1", List.of("localhost"), List.of("127.0.0.1", "127.0.81.1"), Duration.ofDays(1)));
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
        return serve(requireClientCertificate, "127.0.0.1");
    }

    private NodeAddress serve(boolean requireClientCertificate, String host) throws Exception {
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
        server = NettyServerBuilder.forAddress(new InetSocketAddress(host, 0))
                .sslContext(ssl.build())
                .addService(ServerInterceptors.intercept(new FakeNode(), recordCaller))
                .build().start();
        return new NodeAddress(host, server.getPort());
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

        /** A slow disk: each chunk takes a while, and the test notes how much the client had read meanwhile. */
        @Override
        public StreamObserver<Data> etcdRecover(StreamObserver<EtcdRecoverResponse> reply) {
            return new StreamObserver<>() {
                @Override
                public void onNext(Data chunk) {
                    received.add(new Received(received.size() + 1, chunk.getBytes().size(), sourceRead.get()));
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    reply.onNext(EtcdRecoverResponse.getDefaultInstance());
                    reply.onCompleted();
                }
            };
        }
    }

    private record Received(int number, int bytes, long sourceReadBefore) {}

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicLong sourceRead = new AtomicLong();

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
    void closingAClientOverASharedChannelLeavesTheChannelOpen() throws Exception {
        NodeAddress node = serve(true);
        ManagedChannel shared = MachineChannels.openShared(node, adminCredentials(), Duration.ofMinutes(1));
        try {
            try (MachineClient client = MachineClient.over(node, shared, Duration.ofSeconds(10),
                    RetryPolicy.none())) {
                assertEquals("node-1", client.hostname());
            }

            assertFalse(shared.isShutdown());
            assertEquals("node-1", MachineClient.over(node, shared, Duration.ofSeconds(10), RetryPolicy.none())
                    .hostname());
        } finally {
            shared.shutdownNow();
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
    void aRejectedNodeCertificateIsNotRetried() throws Exception {
        NodeAddress node = serve(false);
        try (MachineClient client = MachineClient.connect(node, ClientCredentials.Maintenance.pinned("00".repeat(32)),
                Duration.ofSeconds(5), RetryPolicy.none())) {
            MachineApiException error = assertThrows(MachineApiException.class, client::hostname);
            assertEquals(Status.Code.UNAVAILABLE, error.code());
            assertFalse(RetryPolicy.defaults().isRetryable(error.status()), error.status().toString());
        }
        assertTrue(RetryPolicy.defaults().isRetryable(Status.UNAVAILABLE.withDescription("connection refused")));
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
    void anUploadReadsTheSnapshotOnlyAsFastAsTheNodeTakesIt() throws Exception {
        NodeAddress node = serve(true, "127.0.81.1");
        long total = 64L << 20;
        InputStream snapshot = new InputStream() {
            @Override
            public int read() {
                return sourceRead.get() < total && sourceRead.incrementAndGet() > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = (int) Math.min(len, total - sourceRead.get());
                if (n <= 0) {
                    return -1;
                }
                sourceRead.addAndGet(n);
                return n;
            }
        };

        try (MachineClient client = MachineClient.connect(node, adminCredentials(), Duration.ofMinutes(2),
                RetryPolicy.none())) {
            client.etcdRecover(snapshot);
        }

        assertEquals(total, received.stream().mapToLong(Received::bytes).sum());
        long taken = 0;
        long mostAhead = 0;
        for (Received chunk : received) {
            mostAhead = Math.max(mostAhead, chunk.sourceReadBefore() - taken);
            taken += chunk.bytes();
        }
        // Read ahead of the node by at most the HTTP/2 window and a chunk or two, never the whole 64 MiB.
        assertTrue(mostAhead <= 16L << 20, "the client read " + mostAhead + " bytes ahead of the node");
    }

    @Test
    void bareHostGetsTheDefaultPort() {
        assertEquals(new NodeAddress("10.0.0.1", 50000), NodeAddress.parse("10.0.0.1"));
        assertEquals(new NodeAddress("10.0.0.1", 50001), NodeAddress.parse("10.0.0.1:50001"));
        assertEquals(new NodeAddress("::1", 50000), NodeAddress.parse("::1"));
        assertEquals(new NodeAddress("::1", 7), NodeAddress.parse("[::1]:7"));
    }
}
