package dev.kiln.node.etcd;

import dev.kiln.machinery.client.TlsMaterial;
import dev.kiln.machinery.pki.Pem;
import io.etcd.jetcd.Client;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/** jetcd clients that authenticate with this node's etcd client certificate. */
public final class EtcdClients {

    private final EtcdTlsFiles tls;

    public EtcdClients(EtcdTlsFiles tls) {
        this.tls = tls;
    }

    /** A client that gives up quickly: used to probe peers and to act on a cluster that must answer now. */
    public Client connect(List<URI> endpoints) {
        try (InputStream ca = Files.newInputStream(tls.ca());
             InputStream cert = Files.newInputStream(tls.clientCert());
             InputStream key = Files.newInputStream(tls.clientKey())) {
            byte[] caBytes = ca.readAllBytes();
            byte[] certBytes = cert.readAllBytes();
            byte[] keyBytes = key.readAllBytes();
            return Client.builder()
                    .endpoints(endpoints.toArray(URI[]::new))
                    .connectTimeout(Duration.ofSeconds(2))
                    .retryMaxAttempts(2)
                    .retryDelay(100)
                    .retryMaxDelay(500)
                    .retryMaxDuration(Duration.ofSeconds(3))
                    // Keys read by Pem: Netty's PEM reading instantiates the whole Bouncy Castle provider.
                    .sslContext(builder -> builder
                            .trustManager(new java.io.ByteArrayInputStream(caBytes))
                            .keyManager(Pem.decodePrivateKey(new String(keyBytes, StandardCharsets.UTF_8)),
                                    TlsMaterial.chain(new String(certBytes, StandardCharsets.UTF_8))))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("reading etcd client TLS files from " + tls.ca().getParent(), e);
        }
    }

    /** etcd's Maintenance service on the member at {@code endpoint}: its status, the cluster's alarms. */
    public EtcdMemberMaintenance member(URI endpoint) {
        return EtcdMemberMaintenance.on(endpoint, tls);
    }
}
