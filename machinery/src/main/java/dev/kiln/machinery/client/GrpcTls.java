package dev.kiln.machinery.client;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.InputStream;

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

    public static SslContextBuilder forServer(InputStream certificateChainPem, InputStream keyPem) {
        return configure(SslContextBuilder.forServer(certificateChainPem, keyPem));
    }

    /** Sets the JDK provider and gRPC's ALPN and cipher settings on a builder made elsewhere. */
    public static SslContextBuilder configure(SslContextBuilder builder) {
        return GrpcSslContexts.configure(builder, SslProvider.JDK);
    }
}
