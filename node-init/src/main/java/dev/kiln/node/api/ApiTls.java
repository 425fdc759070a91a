package dev.kiln.node.api;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.node.api.proxy.NodeIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The TLS identity the machine API serves with. Configured nodes present a certificate from the cluster's machine
 * CA and demand one back; maintenance nodes present a self-signed one and demand nothing.
 */
public sealed interface ApiTls {

    /**
     * {@code identity} is the certificate the node relays calls to other nodes with; a worker without the machine CA
     * key has none and relays nothing ({@link #NO_CA_KEY_RELAY}).
     */
    record Configured(ServingKeys keys, String trustedCaPem, String hostname, Optional<NodeIdentity> identity)
            implements ApiTls {

        public String serverCertificatePem() {
            return Pem.encodeCertificate(keys.leaf());
        }
    }

    record Maintenance(String serverCertificatePem, String serverKeyPem, String fingerprint) implements ApiTls {
    }

    String NO_CA_KEY_RELAY = "this worker holds no machine CA key, so it has no node identity certificate and relays"
            + " no calls";

    /** The names a machine API server certificate carries. */
    record ServerNames(String commonName, List<String> dnsNames, List<String> ipAddresses) {
    }

    static ServerNames serverNames(String hostname, String address, List<String> certSans) {
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
        return new ServerNames(hostname, new ArrayList<>(names), new ArrayList<>(ips));
    }

    static Configured issuedBy(CertificateAuthority machineCa, String hostname, String address, List<String> certSans) {
        ServerNames names = serverNames(hostname, address, certSans);
        IssuedCertificate server = machineCa.issue(CertificateRequest.server(names.commonName(), names.dnsNames(),
                names.ipAddresses(), Duration.ofDays(365)));
        return new Configured(ServingKeys.of(server.certificatePem(), server.keyPem()), machineCa.certificatePem(),
                hostname, Optional.of(NodeIdentity.issue(machineCa, hostname)));
    }

    /** Serves {@code certificatePem} now; the caller may replace it later through {@link Configured#keys()}. */
    static Configured withoutCaKey(String certificatePem, String keyPem, String machineCaPem, String hostname) {
        return new Configured(ServingKeys.of(certificatePem, keyPem), machineCaPem, hostname, Optional.empty());
    }

    private static boolean looksLikeIp(String value) {
        return value.matches("[0-9.]+") || value.contains(":");
    }
}
