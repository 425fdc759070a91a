package dev.kiln.machinery.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateRequestTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final Duration HOUR = Duration.ofHours(1);

    private final CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));

    @Test
    void clientCertificateHasOnlyClientAuthAndRolesInOrganization() throws Exception {
        X509Certificate certificate = ca.issue(
                CertificateRequest.client("admin", EnumSet.of(Role.READER, Role.ADMIN), HOUR)).certificate();

        assertEquals(List.of(CLIENT_AUTH), certificate.getExtendedKeyUsage());
        assertEquals("CN=admin,O=os:reader,O=os:admin", certificate.getSubjectX500Principal().getName());
        assertEquals(EnumSet.of(Role.ADMIN, Role.READER), Role.fromCertificate(certificate));
        assertNull(certificate.getSubjectAlternativeNames());
    }

    @Test
    void serverCertificateHasDnsAndIpSubjectAltNamesAndOnlyServerAuth() throws Exception {
        X509Certificate certificate = ca.issue(CertificateRequest.server("node-1",
                List.of("node-1", "node-1.kiln.local"), List.of("127.0.10.2", "fd00::2"), HOUR)).certificate();

        assertEquals(List.of(SERVER_AUTH), certificate.getExtendedKeyUsage());
        assertEquals(Set.of(List.of(DNS_NAME, "node-1"), List.of(DNS_NAME, "node-1.kiln.local"),
                        List.of(IP_ADDRESS, "127.0.10.2"), List.of(IP_ADDRESS, "fd00:0:0:0:0:0:0:2")),
                new HashSet<>(certificate.getSubjectAlternativeNames()));
    }

    @Test
    void peerCertificateHasServerAuthAndClientAuth() throws Exception {
        X509Certificate certificate = ca.issue(
                CertificateRequest.peer("etcd-1", List.of("etcd-1"), List.of("127.0.10.2"), HOUR)).certificate();

        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), certificate.getExtendedKeyUsage());
    }

    @Test
    void leafKeyUsageIsDigitalSignatureOnly() throws Exception {
        X509Certificate certificate = ca.issue(
                CertificateRequest.peer("etcd-1", List.of("etcd-1"), List.of(), HOUR)).certificate();

        boolean[] keyUsage = certificate.getKeyUsage();
        assertEquals(true, keyUsage[0]);
        for (int i = 1; i < keyUsage.length; i++) {
            assertEquals(false, keyUsage[i], "key usage bit " + i);
        }
    }

    @Test
    void requestRejectsIpAddressThatIsNotALiteral() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CertificateRequest.server("node", List.of(), List.of("node.example.com"), HOUR));

        assertEquals("not an IP address literal: node.example.com", error.getMessage());
    }

    @Test
    void requestRejectsNonPositiveValidity() {
        assertThrows(IllegalArgumentException.class,
                () -> CertificateRequest.client("admin", Set.of(Role.ADMIN), Duration.ZERO));
    }
}
