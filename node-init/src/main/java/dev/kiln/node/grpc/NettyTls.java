package dev.kiln.node.grpc;

import dev.kiln.machinery.client.TlsMaterial;
import dev.kiln.machinery.pki.Pem;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;

/**
 * TLS contexts for node-init's gRPC servers and clients on the Netty the etcd client brings (gRPC's shaded copy is
 * left out of node-init: one Netty instead of two, see docs/upgrades.md, "node-init footprint"), on the JDK's TLS as
 * machinery's GrpcTls does for the shaded one.
 */
public final class NettyTls {

    private NettyTls() {
    }

    public static SslContextBuilder forClient() {
        return configure(SslContextBuilder.forClient());
    }

    /**
     * A server context presenting {@code keys}; with {@code trustedCaPem} it requires client certificates that CA
     * issued. Built from a JDK SSLContext with gRPC's ALPN and cipher settings: Netty's server context builder reads a
     * sample key with Bouncy Castle at its first use.
     */
    public static SslContext server(KeyManager keys, Optional<String> trustedCaPem) throws SSLException {
        try {
            return new JdkSslContext(TlsMaterial.serverContext(keys, trustedCaPem), false, Http2SecurityUtil.CIPHERS,
                    SupportedCipherSuiteFilter.INSTANCE,
                    new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2"),
                    trustedCaPem.isPresent() ? ClientAuth.REQUIRE : ClientAuth.NONE, null, false);
        } catch (GeneralSecurityException | IOException e) {
            throw new SSLException("server TLS context: " + e.getMessage(), e);
        }
    }

    /** Sets the client certificate chain and key from PEM, read by {@link Pem} rather than Netty's reader. */
    public static SslContextBuilder withKey(SslContextBuilder builder, String certificateChainPem, String keyPem) {
        return builder.keyManager(Pem.decodePrivateKey(keyPem), TlsMaterial.chain(certificateChainPem));
    }

    /** gRPC's ALPN and cipher settings on the JDK's TLS provider, named rather than searched for. */
    public static SslContextBuilder configure(SslContextBuilder builder) {
        Optional<Provider> jdkTls = TlsMaterial.jdkTls();
        return jdkTls.isEmpty() ? GrpcSslContexts.configure(builder, SslProvider.JDK)
                : GrpcSslContexts.configure(builder, jdkTls.get());
    }
}
