package dev.kiln.node.etcd;

import java.nio.file.Path;

/** The PEM files etcd reads: one CA, a server pair for clients and a peer pair for members. */
public record EtcdTlsFiles(Path ca, Path serverCert, Path serverKey, Path peerCert, Path peerKey,
        Path clientCert, Path clientKey) {

    public static EtcdTlsFiles in(Path directory) {
        return new EtcdTlsFiles(directory.resolve("ca.crt"),
                directory.resolve("server.crt"), directory.resolve("server.key"),
                directory.resolve("peer.crt"), directory.resolve("peer.key"),
                directory.resolve("client.crt"), directory.resolve("client.key"));
    }
}
