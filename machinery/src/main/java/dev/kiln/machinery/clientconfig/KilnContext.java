package dev.kiln.machinery.clientconfig;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Pem;
import dev.kiln.machinery.pki.Role;
import dev.kiln.machinery.pki.SecretsBundle;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** How to reach one cluster's machine API; ca, crt and key hold PEM text. */
public record KilnContext(List<String> endpoints, List<String> nodes, String ca, String crt, String key) {

    /** Client certificates are short-lived compared to CAs so a leaked kilnconfig ages out. */
    public static final Duration CLIENT_CERTIFICATE_VALIDITY = Duration.ofDays(365);

    public KilnContext {
        endpoints = List.copyOf(endpoints);
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(crt, "crt");
        Objects.requireNonNull(key, "key");
    }

    /** A context holding a fresh os:admin client certificate issued by the bundle's machine API CA. */
    public static KilnContext forAdmin(SecretsBundle bundle, List<String> endpoints) {
        return forClient(bundle.os(), "admin", Set.of(Role.ADMIN), endpoints);
    }

    /** A context holding a fresh client certificate with the given roles. */
    public static KilnContext forClient(CertificateAuthority osCa, String commonName, Set<Role> roles,
            List<String> endpoints) {
        IssuedCertificate client = osCa.issue(
                CertificateRequest.client(commonName, roles, CLIENT_CERTIFICATE_VALIDITY));
        return new KilnContext(endpoints, List.of(), osCa.certificatePem(), client.certificatePem(), client.keyPem());
    }

    public KilnContext withEndpoints(List<String> newEndpoints) {
        return new KilnContext(newEndpoints, nodes, ca, crt, key);
    }

    public KilnContext withNodes(List<String> newNodes) {
        return new KilnContext(endpoints, newNodes, ca, crt, key);
    }

    /** The CA certificates to trust (several while a CA is being rotated). */
    public List<X509Certificate> caCertificates() {
        return Pem.decodeCertificates(ca);
    }

    public X509Certificate clientCertificate() {
        return Pem.decodeCertificate(crt);
    }

    public PrivateKey clientKey() {
        return Pem.decodePrivateKey(key);
    }

    public Set<Role> roles() {
        return Role.fromCertificate(clientCertificate());
    }

    @Override
    public String toString() {
        return "KilnContext[endpoints=" + endpoints + ", nodes=" + nodes + ", key redacted]";
    }
}
