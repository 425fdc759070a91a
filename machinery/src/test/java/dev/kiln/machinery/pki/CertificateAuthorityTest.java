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

    @Test
    void ed25519CaSignsItsLeavesWithEd25519WhileLeafKeysStayP256() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("talos", Duration.ofDays(1), CaKeyType.ED25519);

        IssuedCertificate leaf = ca.issue(CertificateRequest.server("node-1", List.of("node-1"),
                List.of("127.0.0.1"), HOUR));

        assertEquals("Ed25519", ca.certificate().getSigAlgName());
        assertEquals("Ed25519", leaf.certificate().getSigAlgName());
        leaf.certificate().verify(ca.certificate().getPublicKey());
        assertEquals(256, ((ECPublicKey) leaf.certificate().getPublicKey()).getParams().getOrder().bitLength());
    }

    @Test
    void fromPemRestoresAnEd25519CaWhoseKeyIsWrittenUnderTalosTypeName() {
        CertificateAuthority ca = CertificateAuthority.generate("talos", Duration.ofDays(1), CaKeyType.ED25519);
        String talosKeyPem = Pem.encode("ED25519 PRIVATE KEY", ca.key().getEncoded());

        CertificateAuthority restored = CertificateAuthority.fromPem(ca.certificatePem(), talosKeyPem);

        assertEquals(ca, restored);
        assertEquals(CaKeyType.ED25519, restored.keyType());
    }

    @Test
    void fromPemRejectsEd25519KeyOfAnotherEd25519Ca() {
        CertificateAuthority ca = CertificateAuthority.generate("talos", Duration.ofDays(1), CaKeyType.ED25519);
        CertificateAuthority other = CertificateAuthority.generate("talos", Duration.ofDays(1), CaKeyType.ED25519);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthority.fromPem(ca.certificatePem(), other.keyPem()));

        assertTrue(error.getMessage().contains("does not match"), error.getMessage());
    }

    @Test
    void fromPemRejectsEcKeyForEd25519Certificate() {
        CertificateAuthority ca = CertificateAuthority.generate("talos", Duration.ofDays(1), CaKeyType.ED25519);
        CertificateAuthority ec = CertificateAuthority.generate("talos", Duration.ofDays(1));

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthority.fromPem(ca.certificatePem(), ec.keyPem()));

        assertTrue(error.getMessage().contains("does not match"), error.getMessage());
    }

    @Test
    void aCaKeyKilnCannotSignWithIsRefusedByItsTypeName() throws Exception {
        CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));
        for (String algorithm : List.of("RSA", "Ed448")) {
            java.security.PrivateKey key = java.security.KeyPairGenerator.getInstance(algorithm).generateKeyPair()
                    .getPrivate();

            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> CertificateAuthority.fromPem(ca.certificatePem(), Pem.encodePrivateKey(key)));

            assertEquals("a CA key must be ECDSA or Ed25519; this one is " + algorithm, error.getMessage());
        }
    }
}
