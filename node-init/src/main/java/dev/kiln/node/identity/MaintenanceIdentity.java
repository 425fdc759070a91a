package dev.kiln.node.identity;

import dev.kiln.machinery.pki.EcKeys;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.node.disk.AtomicFiles;
import dev.kiln.node.disk.DiskLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The self-signed certificate the maintenance API serves. It lives on META, which resets keep, so the fingerprint an
 * inventory recorded stays valid across resets and reboots of the same machine.
 */
public record MaintenanceIdentity(String certificatePem, String keyPem, String fingerprint) {

    private static final Duration VALIDITY = Duration.ofDays(3650);
    /** Backdating notBefore tolerates clients whose clocks lag the node's a little. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    public static MaintenanceIdentity loadOrCreate(DiskLayout disk, String hostname, String address) throws IOException {
        Path cert = disk.meta().resolve("maintenance.crt");
        Path key = disk.meta().resolve("maintenance.key");
        if (Files.exists(cert) && Files.exists(key)) {
            String certPem = Files.readString(cert);
            return new MaintenanceIdentity(certPem, Files.readString(key),
                    Pem.fingerprint(Pem.decodeCertificate(certPem)));
        }
        KeyPair keyPair = EcKeys.generate();
        Instant now = Instant.now();
        X509Certificate certificate = SelfSignedCertificate.create(keyPair, hostname, List.of(hostname, "localhost"),
                List.of(address), now.minus(CLOCK_SKEW), now.plus(VALIDITY));
        String certificatePem = Pem.encodeCertificate(certificate);
        String keyPem = Pem.encodePrivateKey(keyPair.getPrivate());
        AtomicFiles.writeSecret(key, keyPem.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.writeString(cert, certificatePem);
        return new MaintenanceIdentity(certificatePem, keyPem, Pem.fingerprint(certificate));
    }
}
