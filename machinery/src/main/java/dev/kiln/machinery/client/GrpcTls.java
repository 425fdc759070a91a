package dev.kiln.machinery.client;

import dev.kiln.machinery.pki.Pem;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.codec.http2.Http2SecurityUtil;
import io.grpc.netty.shaded.io.netty.handler.ssl.ApplicationProtocolConfig;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.JdkSslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;

/**
 * TLS contexts for Kiln's gRPC clients and servers, on the JDK's TLS stack. Netty's OpenSSL engine tells the JDK
 * trust manager that its handshakes support no Ed25519 signatures, so the trust manager refuses every chain an Ed25519
 * CA signed, as Talos's machine CA does; the JDK engine accepts them.
 */
public final class GrpcTls {

    private GrpcTls() {
    }

    public static SslContextBuilder forClient() {
        return configure(SslContextBuilder.forClient());
    }

    /**
     * A server context presenting {@code keys}; with {@code trustedCaPem} it requires client certificates that CA
     * issued, without it it asks for none. It is built from a JDK SSLContext with gRPC's ALPN and cipher settings, not
     * through Netty's server context builder: that class's first use reads a sample key with Bouncy Castle's PEM
     * reader, which instantiates the whole Bouncy Castle provider (a fifth of a cold start).
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

    /** A key manager presenting the PEM chain (leaf first) and key, both read by {@link Pem}. */
    public static KeyManager keys(String certificateChainPem, String keyPem) throws SSLException {
        return TlsMaterial.keys(certificateChainPem, keyPem);
    }

    /** Sets the client certificate chain and key from PEM, read by {@link Pem}: Netty's reader would instantiate the
     * whole Bouncy Castle provider. */
    public static SslContextBuilder withKey(SslContextBuilder builder, String certificateChainPem, String keyPem) {
        return builder.keyManager(Pem.decodePrivateKey(keyPem), chain(certificateChainPem));
    }

    public static X509Certificate[] chain(String certificateChainPem) {
        return TlsMaterial.chain(certificateChainPem);
    }

    /**
     * Sets the JDK provider and gRPC's ALPN and cipher settings on a builder made elsewhere. The JDK's TLS provider is
     * named rather than searched for: gRPC's search asks every provider, which in a runtime without some of the JDK's
     * modules instantiates every provider on the class path (Bouncy Castle's hundreds of classes among them).
     */
    public static SslContextBuilder configure(SslContextBuilder builder) {
        Optional<Provider> jdkTls = TlsMaterial.jdkTls();
        return jdkTls.isEmpty() ? GrpcSslContexts.configure(builder, SslProvider.JDK)
                : GrpcSslContexts.configure(builder, jdkTls.get());
    }
}
