package dev.kiln.machinery.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CertificateAuthorityTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void generatedCaIsSelfSignedWithCaConstraintAndCertSignKeyUsage() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(10));
        X509Certificate certificate = ca.certificate();

        certificate.verify(certificate.getPublicKey());
        assertEquals("CN=kiln-os", certificate.getSubjectX500Principal().getName());
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        assertTrue(certificate.getBasicConstraints() >= 0, "CA:true");
        boolean[] keyUsage = certificate.getKeyUsage();
        assertTrue(keyUsage[0], "digitalSignature");
        assertTrue(keyUsage[5], "keyCertSign");
        assertTrue(keyUsage[6], "cRLSign");
    }

    @Test
    void certificatesUseP256KeysAndSha256WithEcdsaSignatures() {
        CertificateAuthority ca = CertificateAuthority.generate("etcd", Duration.ofDays(1));
        IssuedCertificate leaf = ca.issue(CertificateRequest.peer("node-1", List.of(), List.of("127.0.0.1"), HOUR));

        for (X509Certificate certificate : List.of(ca.certificate(), leaf.certificate())) {
            assertEquals("SHA256withECDSA", certificate.getSigAlgName());
            ECPublicKey key = (ECPublicKey) certificate.getPublicKey();
            assertEquals(256, key.getParams().getOrder().bitLength());
        }
    }

    @Test
    void issuedCertificateVerifiesAgainstCaPublicKey() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        IssuedCertificate issued = ca.issue(CertificateRequest.client("admin", Set.of(Role.ADMIN), HOUR));

        issued.certificate().verify(ca.certificate().getPublicKey());
        assertEquals(ca.certificate().getSubjectX500Principal(), issued.certificate().getIssuerX500Principal());
        assertEquals(ca.certificate(), issued.issuer());
        assertEquals(-1, issued.certificate().getBasicConstraints(), "leaf must not be a CA");
        assertTrue(EcKeys.matches(issued.key(), issued.certificate().getPublicKey()));
    }

    @Test
    void fromPemRestoresTheSameAuthority() {
        CertificateAuthority ca = CertificateAuthority.generate("kubernetes", Duration.ofDays(1));

        CertificateAuthority restored = CertificateAuthority.fromPem(ca.certificatePem(), ca.keyPem());

        assertEquals(ca, restored);
        assertEquals(ca.hashCode(), restored.hashCode());
    }

    @Test
    void fromPemRejectsKeyThatDoesNotMatchCertificate() {
        CertificateAuthority ca = CertificateAuthority.generate("etcd", Duration.ofDays(1));
        CertificateAuthority other = CertificateAuthority.generate("etcd", Duration.ofDays(1));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthority.fromPem(ca.certificatePem(), other.keyPem()));

        assertTrue(error.getMessage().contains("does not match"), error.getMessage());
        assertTrue(error.getMessage().contains("CN=etcd"), error.getMessage());
    }

    @Test
    void fromPemRejectsLeafCertificate() {
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        IssuedCertificate leaf = ca.issue(CertificateRequest.server("node", List.of("node"), List.of(), HOUR));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthority.fromPem(leaf.certificatePem(), leaf.keyPem()));

        assertTrue(error.getMessage().contains("not a CA certificate"), error.getMessage());
    }

    @Test
    void serialNumbersArePositiveRandomAndAtMost128Bits() {
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        BigInteger first = ca.issue(CertificateRequest.client("a", Set.of(), HOUR)).certificate().getSerialNumber();
        BigInteger second = ca.issue(CertificateRequest.client("a", Set.of(), HOUR)).certificate().getSerialNumber();

        assertEquals(1, first.signum());
        assertTrue(first.bitLength() <= 128);
        assertNotEquals(first, second);
    }

    @Test
    void notBeforeIsBackdatedAboutOneMinuteForClockSkew() {
        Instant before = Instant.now();
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        IssuedCertificate leaf = ca.issue(CertificateRequest.client("a", Set.of(), HOUR));
        Instant after = Instant.now();

        for (X509Certificate certificate : List.of(ca.certificate(), leaf.certificate())) {
            Instant notBefore = certificate.getNotBefore().toInstant();
            assertFalse(notBefore.isAfter(after.minusSeconds(59)), "backdated: " + notBefore);
            assertFalse(notBefore.isBefore(before.minusSeconds(62)), "only about a minute: " + notBefore);
        }
    }

    @Test
    void issuedCertificateNeverOutlivesItsCa() {
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));

        IssuedCertificate leaf = ca.issue(CertificateRequest.client("a", Set.of(), Duration.ofDays(365)));

        assertEquals(ca.certificate().getNotAfter(), leaf.certificate().getNotAfter());
    }

    @Test
    void toStringDoesNotRevealThePrivateKey() {
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));

        String text = ca.toString();

        assertTrue(text.contains("CN=kiln-os"), text);
        assertFalse(text.contains(ca.keyPem().lines().skip(1).findFirst().orElseThrow()), text);
    }
}
