package dev.kiln.machinery.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Empty;
import dev.kiln.machinery.api.machine.Hostname;
import dev.kiln.machinery.api.machine.HostnameResponse;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.pki.CaKeyType;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Role;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kiln's gRPC TLS, server and client both on {@link GrpcTls}, with a machine CA that signs with Ed25519. */
class GrpcTlsTest {

    private static final Duration DAY = Duration.ofDays(1);

    private final CertificateAuthority ca = CertificateAuthority.generate("talos", DAY, CaKeyType.ED25519);
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.shutdownNow();
        }
    }

    @Test
    void aMutualTlsCallSucceedsWhenTheCaSignsWithEd25519() throws Exception {
        IssuedCertificate serving = ca.issue(CertificateRequest.server("node-1", List.of(), List.of("127.0.0.1"), DAY));
        IssuedCertificate admin = ca.issue(CertificateRequest.client("admin", Set.of(Role.ADMIN), DAY));
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .sslContext(GrpcTls.server(GrpcTls.keys(serving.certificatePem(), serving.keyPem()),
                        Optional.of(ca.certificatePem())))
                .addService(new NamedNode())
                .build().start();

        try (MachineClient client = MachineClient.connect(new NodeAddress("127.0.0.1", server.getPort()),
                new ClientCredentials.MutualTls(ca.certificatePem(), admin.certificatePem(), admin.keyPem()))) {
            assertEquals("node-1", client.hostname());
        }
    }

    private static final class NamedNode extends MachineServiceGrpc.MachineServiceImplBase {
        @Override
        public void hostname(Empty request, StreamObserver<HostnameResponse> reply) {
            reply.onNext(HostnameResponse.newBuilder()
                    .addMessages(Hostname.newBuilder().setHostname("node-1")).build());
            reply.onCompleted();
        }
    }
}
