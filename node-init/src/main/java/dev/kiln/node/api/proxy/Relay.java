package dev.kiln.node.api.proxy;

import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.node.grpc.NettyTls;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/** Dials targets over mutual TLS as this node's identity, trusting only the machine CA. */
public final class Relay {

    private final SslContext tls;
    private final int maxMessageBytes;

    public Relay(NodeIdentity identity, String machineCaPem, int maxMessageBytes) {
        try {
            this.tls = NettyTls.withKey(NettyTls.forClient().trustManager(stream(machineCaPem)),
                    identity.certificatePem(), identity.keyPem()).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("node identity or machine CA unusable for relaying: " + e.getMessage(),
                    e);
        }
        this.maxMessageBytes = maxMessageBytes;
    }

    /** A channel for one relayed call; the caller shuts it down when the call ends, so no target stays connected. */
    ManagedChannel open(NodeAddress target) {
        return NettyChannelBuilder.forAddress(target.host(), target.port())
                .sslContext(tls)
                .maxInboundMessageSize(maxMessageBytes)
                .build();
    }

    private static InputStream stream(String pem) {
        return new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8));
    }
}
