package dev.kiln.node.trust;

import dev.kiln.machinery.pki.EcKeys;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.node.disk.AtomicFiles;
import dev.kiln.node.disk.DiskLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A worker's machine API certificate issued by the control plane, kept on STATE with its key so that a reboot while
 * the control plane is down still serves a certificate that chains to {@code machine.ca}. A reset wipes it with STATE.
 */
public record IssuedServerCertificate(String certificatePem, String keyPem, Instant notBefore, Instant notAfter) {

    static final String DIRECTORY = "machine-api";

    /** Renewal starts at half the lifetime, leaving the other half for a control plane that is down. */
    public Instant renewAt() {
        return notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
    }

    public boolean validAt(Instant now) {
        return !now.isBefore(notBefore) && now.isBefore(notAfter);
    }

    /** Whether the certificate names exactly these DNS names and IP addresses (IPs compared as addresses). */
    public boolean names(List<String> dnsNames, List<String> ipAddresses) {
        Set<String> wanted = new HashSet<>();
        dnsNames.forEach(name -> wanted.add("dns:" + name.toLowerCase(Locale.ROOT)));
        ipAddresses.forEach(ip -> wanted.add("ip:" + canonicalIp(ip)));
        Set<String> held = new HashSet<>();
        try {
            Collection<List<?>> sans = Pem.decodeCertificate(certificatePem).getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        held.add("dns:" + san.get(1).toString().toLowerCase(Locale.ROOT));
                    } else if (type == 7) {
                        held.add("ip:" + canonicalIp(san.get(1).toString()));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return held.equals(wanted);
    }

    private static String canonicalIp(String ip) {
        try {
            return InetAddress.getByName(ip).getHostAddress();
        } catch (UnknownHostException e) {
            return ip;
        }
    }

    /** Checks that the certificate belongs to the key, is signed by the CA and is a server certificate. */
    public static IssuedServerCertificate verified(String certificatePem, String keyPem, String caPem) {
        X509Certificate leaf = Pem.decodeCertificate(certificatePem);
        X509Certificate ca = Pem.decodeCertificate(caPem);
        PrivateKey key = Pem.decodePrivateKey(keyPem);
        try {
            leaf.verify(ca.getPublicKey());
            if (!EcKeys.matches(key, leaf.getPublicKey())) {
                throw new IllegalArgumentException("the issued certificate is not for the key this node generated");
            }
            if (leaf.getBasicConstraints() >= 0) {
                throw new IllegalArgumentException("the issued certificate is a CA certificate");
            }
            if (leaf.getExtendedKeyUsage() == null || !leaf.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1")) {
                throw new IllegalArgumentException("the issued certificate is not for TLS servers");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the issued certificate is not signed by machine.ca: " + e.getMessage(), e);
        }
        return new IssuedServerCertificate(certificatePem, keyPem, leaf.getNotBefore().toInstant(),
                leaf.getNotAfter().toInstant());
    }

    /** The stored certificate, if there is one that still verifies against {@code caPem}. */
    public static Optional<IssuedServerCertificate> load(DiskLayout disk, String caPem) throws IOException {
        Path certificate = disk.state().resolve(DIRECTORY).resolve("server.crt");
        Path key = disk.state().resolve(DIRECTORY).resolve("server.key");
        if (!Files.exists(certificate) || !Files.exists(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(verified(Files.readString(certificate), Files.readString(key), caPem));
        } catch (RuntimeException e) {
            // A machine CA changed by a new config, or a damaged file: ask for a new certificate.
            return Optional.empty();
        }
    }

    /** Key first: a certificate on disk always has its key there. */
    public void store(DiskLayout disk) throws IOException {
        Path dir = disk.state().resolve(DIRECTORY);
        Files.createDirectories(dir);
        AtomicFiles.writeSecret(dir.resolve("server.key"), keyPem.getBytes(StandardCharsets.US_ASCII));
        AtomicFiles.writeString(dir.resolve("server.crt"), certificatePem);
    }
}
