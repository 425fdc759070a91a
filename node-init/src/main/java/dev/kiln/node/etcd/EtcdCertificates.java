package dev.kiln.node.etcd;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.node.disk.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Issues this node's etcd certificates from the cluster's etcd CA and writes them where etcd reads them. */
public final class EtcdCertificates {

    private static final Duration VALIDITY = Duration.ofDays(365);

    private EtcdCertificates() {
    }

    public static EtcdTlsFiles issue(CertificateAuthority etcdCa, String hostname, String address, Path directory)
            throws IOException {
        Files.createDirectories(directory);
        EtcdTlsFiles files = EtcdTlsFiles.in(directory);
        // etcd 3.4 checks a peer's IP SANs against the connection's source, and loopback peers dial from 127.0.0.1.
        Set<String> ips = new LinkedHashSet<>(List.of(address, "127.0.0.1"));
        Set<String> names = new LinkedHashSet<>(List.of(hostname, "localhost"));
        IssuedCertificate server = etcdCa.issue(
                CertificateRequest.peer(hostname, List.copyOf(names), List.copyOf(ips), VALIDITY));
        IssuedCertificate peer = etcdCa.issue(
                CertificateRequest.peer(hostname, List.copyOf(names), List.copyOf(ips), VALIDITY));
        IssuedCertificate client = etcdCa.issue(
                CertificateRequest.client("kiln-node-" + hostname, Set.of(), VALIDITY));
        write(files.ca(), etcdCa.certificatePem(), false);
        write(files.serverCert(), server.certificatePem(), false);
        write(files.serverKey(), server.keyPem(), true);
        write(files.peerCert(), peer.certificatePem(), false);
        write(files.peerKey(), peer.keyPem(), true);
        write(files.clientCert(), client.certificatePem(), false);
        write(files.clientKey(), client.keyPem(), true);
        return files;
    }

    private static void write(Path path, String pem, boolean secret) throws IOException {
        AtomicFiles.write(path, pem.getBytes(StandardCharsets.UTF_8),
                secret ? AtomicFiles.Mode.SECRET : AtomicFiles.Mode.PUBLIC);
    }
}
