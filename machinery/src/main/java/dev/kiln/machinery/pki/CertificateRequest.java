package dev.kiln.machinery.pki;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.util.IPAddress;

/** What to put in a leaf certificate; the key pair is generated when the CA issues it. */
public record CertificateRequest(
        String commonName,
        List<String> organizations,
        List<String> dnsNames,
        List<String> ipAddresses,
        CertificateUsage usage,
        Duration validity) {

    public CertificateRequest {
        if (commonName == null || commonName.isBlank()) {
            throw new IllegalArgumentException("certificate common name is required");
        }
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("certificate validity must be positive, got " + validity);
        }
        for (String dnsName : dnsNames) {
            if (dnsName.isBlank()) {
                throw new IllegalArgumentException("DNS names must not be blank");
            }
        }
        for (String ip : ipAddresses) {
            // Literal check only: resolving names here would hide typos behind DNS lookups.
            if (!IPAddress.isValid(ip)) {
                throw new IllegalArgumentException("not an IP address literal: " + ip);
            }
        }
    }

    public static CertificateRequest server(String commonName, List<String> dnsNames, List<String> ipAddresses,
            Duration validity) {
        return new CertificateRequest(commonName, List.of(), dnsNames, ipAddresses, CertificateUsage.SERVER, validity);
    }

    public static CertificateRequest peer(String commonName, List<String> dnsNames, List<String> ipAddresses,
            Duration validity) {
        return new CertificateRequest(commonName, List.of(), dnsNames, ipAddresses, CertificateUsage.PEER, validity);
    }

    /** A client certificate whose subject O= values carry the given roles. */
    public static CertificateRequest client(String commonName, Set<Role> roles, Duration validity) {
        List<String> organizations = roles.stream().sorted().map(Role::organization).toList();
        return new CertificateRequest(commonName, organizations, List.of(), List.of(), CertificateUsage.CLIENT,
                validity);
    }
}
