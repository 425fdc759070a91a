package dev.kiln.machinery.trust;

import io.grpc.Metadata;

/** Wire facts of the certificate service shared by the control-plane side and the worker side. */
public final class Trustd {

    /** The port Talos's trustd listens on, and Kiln's certificate service too. */
    public static final int PORT = 50001;

    /** The gRPC metadata key carrying the caller's {@code machine.token}. */
    public static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private Trustd() {
    }
}
