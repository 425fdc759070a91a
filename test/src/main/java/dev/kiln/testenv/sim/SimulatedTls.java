package dev.kiln.testenv.sim;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The TLS identity a simulated machine serves with: node-init's, from the same machinery PKI. */
sealed interface SimulatedTls {

    String certificatePem();

    String keyPem();

    /** Issued by the config's machine CA; client certificates from that CA are demanded. */
    record Configured(String certificatePem, String keyPem, String trustedCaPem) implements SimulatedTls {
    }

    /** Self-signed, pinned by fingerprint; no client certificate is asked for. */
    record Maintenance(String certificatePem, String keyPem) implements SimulatedTls {
    }

    static Configured configured(CertificateAuthority machineCa, String hostname, String address,
            List<String> certSans) {
        Set<String> ips = new LinkedHashSet<>(List.of(address));
        Set<String> names = new LinkedHashSet<>(List.of(hostname, "localhost"));
        for (String san : certSans) {
            if (san.matches("[0-9.]+") || san.contains(":")) {
                ips.add(san);
            } else {
                names.add(san);
            }
        }
        IssuedCertificate server = machineCa.issue(CertificateRequest.server(hostname, new ArrayList<>(names),
                new ArrayList<>(ips), Duration.ofDays(365)));
        return new Configured(server.certificatePem(), server.keyPem(), machineCa.certificatePem());
    }
}
