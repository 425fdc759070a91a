package dev.kiln.machinery.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/** Opens TLS channels to a node's machine API; plaintext is never offered. */
final class MachineChannels {

    private static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    private MachineChannels() {
    }

    static ManagedChannel open(NodeAddress address, ClientCredentials credentials) {
        return NettyChannelBuilder.forAddress(address.host(), address.port())
                .sslContext(sslContext(credentials))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .build();
    }

    private static SslContext sslContext(ClientCredentials credentials) {
        try {
            SslContextBuilder builder = GrpcTls.forClient();
            if (credentials instanceof ClientCredentials.MutualTls tls) {
                GrpcTls.withKey(builder.trustManager(stream(tls.caPem())), tls.certificatePem(), tls.privateKeyPem());
            } else if (credentials instanceof ClientCredentials.Maintenance maintenance) {
                builder.trustManager(new PinnedFingerprintTrustManager(maintenance.pinnedFingerprint()));
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("client TLS material is unusable: " + e.getMessage(), e);
        }
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }
}
