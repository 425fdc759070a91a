package dev.kiln.machinery.client;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import dev.kiln.machinery.pki.Pem;
import java.security.Provider;
import java.security.Security;
import java.security.cert.X509Certificate;

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
     * A server presenting the PEM chain (leaf first) and key, read by {@link Pem}: Netty's own PEM reading
     * instantiates the whole Bouncy Castle provider when it finds Bouncy Castle on the class path.
     */
    public static SslContextBuilder forServer(String certificateChainPem, String keyPem) {
        return configure(SslContextBuilder.forServer(Pem.decodePrivateKey(keyPem), chain(certificateChainPem)));
    }

    /** Sets the client certificate chain and key from PEM, read as {@link #forServer(String, String)} reads them. */
    public static SslContextBuilder withKey(SslContextBuilder builder, String certificateChainPem, String keyPem) {
        return builder.keyManager(Pem.decodePrivateKey(keyPem), chain(certificateChainPem));
    }

    public static X509Certificate[] chain(String certificateChainPem) {
        return Pem.decodeCertificates(certificateChainPem).toArray(X509Certificate[]::new);
    }

    /**
     * Sets the JDK provider and gRPC's ALPN and cipher settings on a builder made elsewhere. The JDK's TLS provider is
     * named rather than searched for: gRPC's search asks every provider, which in a runtime without some of the JDK's
     * modules instantiates every provider on the class path (Bouncy Castle's hundreds of classes among them).
     */
    public static SslContextBuilder configure(SslContextBuilder builder) {
        Provider jdkTls = Security.getProvider("SunJSSE");
        return jdkTls == null ? GrpcSslContexts.configure(builder, SslProvider.JDK)
                : GrpcSslContexts.configure(builder, jdkTls);
    }
}
