package dev.kiln.node.identity;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.node.disk.AtomicFiles;
import dev.kiln.node.disk.DiskLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The self-signed certificate the maintenance API serves. It lives on META, which resets keep, so the fingerprint an
 * inventory recorded stays valid across resets and reboots of the same machine.
 */
public record MaintenanceIdentity(String certificatePem, String keyPem, String fingerprint) {

    private static final Duration VALIDITY = Duration.ofDays(3650);

    public static MaintenanceIdentity loadOrCreate(DiskLayout disk, String hostname, String address) throws IOException {
        Path cert = disk.meta().resolve("maintenance.crt");
        Path key = disk.meta().resolve("maintenance.key");
        if (Files.exists(cert) && Files.exists(key)) {
            String certPem = Files.readString(cert);
            return new MaintenanceIdentity(certPem, Files.readString(key),
                    Pem.fingerprint(Pem.decodeCertificate(certPem)));
        }
        CertificateAuthority selfSigner = CertificateAuthority.generate("kiln-maintenance-" + hostname, VALIDITY);
        IssuedCertificate server = selfSigner.issue(CertificateRequest.server(hostname,
                List.of(hostname, "localhost"), List.of(address), VALIDITY));
        AtomicFiles.writeSecret(key, server.keyPem().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        AtomicFiles.writeString(cert, server.certificatePem());
        return new MaintenanceIdentity(server.certificatePem(), server.keyPem(), server.fingerprint());
    }
}
