package dev.kiln.node.api;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.node.api.proxy.NodeIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS identity the machine API serves with. Configured nodes present a certificate from the cluster's machine
 * CA and demand one back; maintenance nodes present a self-signed one and demand nothing.
 */
public sealed interface ApiTls {

    String serverCertificatePem();

    String serverKeyPem();

    /** {@code identity} is the certificate the node relays calls to other nodes with. */
    record Configured(String serverCertificatePem, String serverKeyPem, String trustedCaPem, NodeIdentity identity)
            implements ApiTls {
    }

    record Maintenance(String serverCertificatePem, String serverKeyPem, String fingerprint) implements ApiTls {
    }

    static Configured issuedBy(CertificateAuthority machineCa, String hostname, String address, List<String> certSans) {
        Set<String> ips = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        ips.add(address);
        names.add(hostname);
        names.add("localhost");
        for (String san : certSans) {
            if (looksLikeIp(san)) {
                ips.add(san);
            } else {
                names.add(san);
            }
        }
        IssuedCertificate server = machineCa.issue(CertificateRequest.server(hostname,
                new ArrayList<>(names), new ArrayList<>(ips), Duration.ofDays(365)));
        return new Configured(server.certificatePem(), server.keyPem(), machineCa.certificatePem(),
                NodeIdentity.issue(machineCa, hostname));
    }

    private static boolean looksLikeIp(String value) {
        return value.matches("[0-9.]+") || value.contains(":");
    }
}
