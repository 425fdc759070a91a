package dev.kiln.machinery.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

class PemTest {

    private final CertificateAuthority ca = CertificateAuthority.generate("kiln-os", Duration.ofDays(1));

    @Test
    void certificatePemRoundTripsExactly() throws Exception {
        String pem = Pem.encodeCertificate(ca.certificate());

        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"), pem);
        assertTrue(pem.endsWith("-----END CERTIFICATE-----\n"), pem);
        assertTrue(pem.lines().allMatch(line -> line.length() <= 64), "64-column body");
        assertEquals(ca.certificate(), Pem.decodeCertificate(pem));
        assertEquals(pem, Pem.encodeCertificate(Pem.decodeCertificate(pem)));
    }

    @Test
    void privateKeyIsWrittenAsPkcs8AndRoundTrips() {
        String pem = Pem.encodePrivateKey(ca.key());

        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        PrivateKey decoded = Pem.decodePrivateKey(pem);
        assertArrayEquals(ca.key().getEncoded(), decoded.getEncoded());
        assertEquals(pem, Pem.encodePrivateKey(decoded));
    }

    @Test
    void secOneEcPrivateKeyAsWrittenByGoAndOpenSslIsAccepted() throws Exception {
        KeyPair pair = EcKeys.generate();
        BigInteger secret = ((ECPrivateKey) pair.getPrivate()).getS();
        ASN1BitString publicBits = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getPublicKeyData();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, secret, publicBits,
                SECObjectIdentifiers.secp256r1).getEncoded();

        PrivateKey decoded = Pem.decodePrivateKey(Pem.encode("EC PRIVATE KEY", sec1));

        assertEquals(secret, ((ECPrivateKey) decoded).getS());
        assertTrue(EcKeys.matches(decoded, pair.getPublic()));
    }

    @Test
    void publicKeyPemRoundTrips() {
        String pem = Pem.encodePublicKey(ca.certificate().getPublicKey());

        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem);
        assertArrayEquals(ca.certificate().getPublicKey().getEncoded(), Pem.decodePublicKey(pem).getEncoded());
    }

    @Test
    void fingerprintIsStableLowercaseSha256HexOfDer() throws Exception {
        String fingerprint = Pem.fingerprint(ca.certificate());

        assertTrue(fingerprint.matches("[0-9a-f]{64}"), fingerprint);
        assertEquals(fingerprint, Pem.fingerprint(Pem.decodeCertificate(ca.certificatePem())));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded());
        assertEquals(HexFormat.of().formatHex(digest), fingerprint);
    }

    @Test
    void certificateBundleDecodesInOrder() {
        CertificateAuthority other = CertificateAuthority.generate("other", Duration.ofDays(1));

        assertEquals(List.of(ca.certificate(), other.certificate()),
                Pem.decodeCertificates(ca.certificatePem() + other.certificatePem()));
    }

    @Test
    void decodingRejectsTextWithoutTheExpectedBlock() {
        assertThrows(IllegalArgumentException.class, () -> Pem.decodeCertificate("hello"));
        assertThrows(IllegalArgumentException.class, () -> Pem.decodePrivateKey(ca.certificatePem()));
        assertThrows(IllegalArgumentException.class, () -> Pem.decodeCertificate(ca.keyPem()));
        assertThrows(IllegalArgumentException.class,
                () -> Pem.decodeCertificate("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"));
    }

    @Test
    void ed25519KeyUnderTheTypeNameTalosWritesIsAccepted() throws Exception {
        KeyPair pair = CaKeyType.ED25519.generate();

        PrivateKey decoded = Pem.decodePrivateKey(Pem.encode("ED25519 PRIVATE KEY", pair.getPrivate().getEncoded()));

        assertArrayEquals(pair.getPrivate().getEncoded(), decoded.getEncoded());
        assertEquals(CaKeyType.ED25519, CaKeyType.of(decoded));
        assertTrue(CaKeyType.ED25519.matches(decoded, pair.getPublic()));
    }

    @Test
    void ed25519KeyAsStandardPkcs8IsAccepted() throws Exception {
        KeyPair pair = CaKeyType.ED25519.generate();

        PrivateKey decoded = Pem.decodePrivateKey(Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));

        assertArrayEquals(pair.getPrivate().getEncoded(), decoded.getEncoded());
        assertTrue(CaKeyType.ED25519.matches(decoded, pair.getPublic()));
    }

    /** The exact bytes Go's x509.MarshalPKCS8PrivateKey writes for an Ed25519 key: version 0, no public key. */
    @Test
    void goWrittenEd25519Pkcs8WithoutPublicKeyIsAccepted() throws Exception {
        byte[] seed = new byte[32];
        new java.security.SecureRandom().nextBytes(seed);
        byte[] der = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                new DEROctetString(seed)).getEncoded();
        byte[] publicKey = new Ed25519PrivateKeyParameters(seed).generatePublicKey().getEncoded();
        PublicKey expected = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), publicKey)
                        .getEncoded()));

        PrivateKey decoded = Pem.decodePrivateKey(Pem.encode("ED25519 PRIVATE KEY", der));

        assertTrue(CaKeyType.ED25519.matches(decoded, expected));
    }

    @Test
    void ed25519TypeNameHoldingAnotherKeyIsRefusedByName() {
        String pem = Pem.encode("ED25519 PRIVATE KEY", ca.key().getEncoded());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pem.decodePrivateKey(pem));

        assertTrue(e.getMessage().contains("ED25519 PRIVATE KEY holds a key of algorithm 1.2.840.10045.2.1"),
                e.getMessage());
    }

    @Test
    void ed25519TypeNameHoldingGarbageIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.decodePrivateKey(Pem.encode("ED25519 PRIVATE KEY", new byte[] {1, 2, 3})));

        assertTrue(e.getMessage().contains("corrupt ED25519 PRIVATE KEY"), e.getMessage());
    }

    @Test
    void blocksAreFoundAmidOtherTextAndWithCrlfLineEnds() {
        CertificateAuthority other = CertificateAuthority.generate("other", Duration.ofDays(1));
        String bundle = "issued by the test\n" + ca.certificatePem().replace("\n", "\r\n") + "between\n"
                + other.certificatePem() + "trailing text";

        assertEquals(List.of(ca.certificate(), other.certificate()), Pem.decodeCertificates(bundle));
    }

    @Test
    void blockWithoutItsEndLineIsRefusedNamingTheLine() {
        String truncated = ca.certificatePem().substring(0, ca.certificatePem().indexOf("-----END"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.decodeCertificate(truncated));

        assertTrue(e.getMessage().contains("-----END CERTIFICATE----- not found"), e.getMessage());
    }

    @Test
    void rsaPkcs8KeyIsAccepted() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey key = generator.generateKeyPair().getPrivate();

        PrivateKey decoded = Pem.decodePrivateKey(Pem.encodePrivateKey(key));

        assertEquals("RSA", decoded.getAlgorithm());
        assertArrayEquals(key.getEncoded(), decoded.getEncoded());
    }

    @Test
    void pkcs8BlockHoldingGarbageIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Pem.decodePrivateKey(Pem.encode("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00})));
    }
}
