package dev.kiln.node.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import dev.kiln.machinery.pki.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IssuedServerCertificateTest {

    private static final CertificateAuthority MACHINE_CA = CertificateAuthority.generate("machine", Duration.ofDays(3650));
    private static final CertificateAuthority OTHER_CA = CertificateAuthority.generate("other", Duration.ofDays(3650));

    private static IssuedCertificate server(CertificateAuthority ca) {
        return ca.issue(CertificateRequest.server("worker", List.of("worker"), List.of("10.0.0.2"), Duration.ofDays(30)));
    }

    @Test
    void renewalIsDueAtHalfTheLifetime() {
        IssuedCertificate issued = server(MACHINE_CA);
        IssuedServerCertificate certificate = IssuedServerCertificate.verified(issued.certificatePem(), issued.keyPem(),
                MACHINE_CA.certificatePem());

        Duration toRenewal = Duration.between(certificate.notBefore(), certificate.renewAt());
        Duration afterRenewal = Duration.between(certificate.renewAt(), certificate.notAfter());
        assertEquals(toRenewal, afterRenewal);
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        IssuedCertificate issued = server(OTHER_CA);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                IssuedServerCertificate.verified(issued.certificatePem(), issued.keyPem(), MACHINE_CA.certificatePem()));

        assertTrue(refused.getMessage().contains("not signed by machine.ca"), refused.getMessage());
    }

    @Test
    void aCertificateForAnotherKeyIsRefused() {
        IssuedCertificate issued = server(MACHINE_CA);
        IssuedCertificate other = server(MACHINE_CA);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                IssuedServerCertificate.verified(issued.certificatePem(), other.keyPem(), MACHINE_CA.certificatePem()));

        assertTrue(refused.getMessage().contains("not for the key this node generated"), refused.getMessage());
    }

    @Test
    void aClientCertificateIsRefused() {
        IssuedCertificate client = MACHINE_CA.issue(CertificateRequest.client("admin", Set.of(Role.ADMIN),
                Duration.ofDays(1)));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                IssuedServerCertificate.verified(client.certificatePem(), client.keyPem(), MACHINE_CA.certificatePem()));

        assertTrue(refused.getMessage().contains("not for TLS servers"), refused.getMessage());
    }

    @Test
    void validityEndsAtNotAfter() {
        IssuedCertificate issued = server(MACHINE_CA);
        IssuedServerCertificate certificate = IssuedServerCertificate.verified(issued.certificatePem(), issued.keyPem(),
                MACHINE_CA.certificatePem());

        assertTrue(certificate.validAt(Instant.now()));
        assertTrue(!certificate.validAt(certificate.notAfter()));
    }

    @Test
    void namesMatchOnlyTheSameDnsNamesAndAddresses() {
        IssuedCertificate issued = MACHINE_CA.issue(CertificateRequest.server("worker", List.of("worker", "localhost"),
                List.of("10.0.0.2", "2001:db8::2"), Duration.ofDays(30)));
        IssuedServerCertificate certificate = IssuedServerCertificate.verified(issued.certificatePem(), issued.keyPem(),
                MACHINE_CA.certificatePem());

        assertTrue(certificate.names(List.of("localhost", "Worker"), List.of("2001:db8:0::2", "10.0.0.2")));
        assertTrue(!certificate.names(List.of("worker", "localhost"), List.of("10.0.0.3", "2001:db8::2")));
        assertTrue(!certificate.names(List.of("worker", "localhost", "extra"), List.of("10.0.0.2", "2001:db8::2")));
    }
}
