package dev.kiln.machinery.client;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/** Opens TLS channels to a node's machine API; plaintext is never offered. */
public final class MachineChannels {

    private static final int MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

    private MachineChannels() {
    }

    static ManagedChannel open(NodeAddress address, ClientCredentials credentials) {
        return builder(address, credentials).build();
    }

    /** A channel meant to be kept and shared; it drops its connection after {@code idleTimeout} without calls. */
    public static ManagedChannel openShared(NodeAddress address, ClientCredentials credentials, Duration idleTimeout) {
        return openShared(address, clientContext(credentials), idleTimeout);
    }

    /** As {@link #openShared(NodeAddress, ClientCredentials, Duration)}, with a kept client context. */
    public static ManagedChannel openShared(NodeAddress address, SslContext clientContext, Duration idleTimeout) {
        return builder(address, clientContext).idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS).build();
    }

    /**
     * As {@link #openShared(NodeAddress, SslContext, Duration)}, for calls that may stay quiet for hours (event
     * streams): while a call is open an HTTP/2 ping goes out every {@code pingEvery}, and one unanswered within
     * {@code pingTimeout} fails the channel's calls, so a peer behind a cut network (which sends no reset) is noticed.
     * The channel runs its callbacks and handshakes on {@code executors}.
     */
    public static ManagedChannel openShared(NodeAddress address, SslContext clientContext, Duration idleTimeout,
            Duration pingEvery, Duration pingTimeout, ChannelExecutors executors) {
        return builder(address, clientContext).idleTimeout(idleTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTime(pingEvery.toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(pingTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .executor(executors.callbacks())
                .offloadExecutor(executors.offload())
                .build();
    }

    private static NettyChannelBuilder builder(NodeAddress address, ClientCredentials credentials) {
        return builder(address, clientContext(credentials));
    }

    private static NettyChannelBuilder builder(NodeAddress address, SslContext clientContext) {
        return NettyChannelBuilder.forAddress(address.host(), address.port())
                .sslContext(clientContext)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES);
    }

    /**
     * The client TLS context presenting {@code credentials}. Building one costs a few milliseconds of CPU, and issuing
     * the certificate in {@code credentials} as much again, so a caller opening channels again and again may keep it.
     */
    public static SslContext clientContext(ClientCredentials credentials) {
        try {
            SslContextBuilder builder = GrpcTls.forClient();
            if (credentials instanceof ClientCredentials.MutualTls tls) {
                GrpcTls.withKey(builder.trustManager(stream(tls.caPem())), tls.certificatePem(), tls.privateKeyPem())
                        // the key store only hands the key over in memory; PKCS12's key protection costs ~20x more
                        .keyStoreType("JKS");
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
