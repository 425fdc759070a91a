package dev.kiln.machinery.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The key types a Kiln CA signs with: ECDSA, as Kiln generates its CAs, and Ed25519, as Talos generates its machine
 * (os) CA. Any other key type is refused by name, since no certificate could be issued from it.
 */
public enum CaKeyType {

    ECDSA("SHA256withECDSA"),
    ED25519("Ed25519");

    private final String signatureAlgorithm;

    CaKeyType(String signatureAlgorithm) {
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA signature algorithm certificates issued with a key of this type are signed with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The type of a CA private key, or an error naming the key type Kiln cannot sign with. */
    public static CaKeyType of(PrivateKey key) {
        ASN1ObjectIdentifier algorithm = algorithmOf(key);
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            return ECDSA;
        }
        if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
            return ED25519;
        }
        throw new IllegalArgumentException("a CA key must be ECDSA or Ed25519; this one is " + nameOf(algorithm, key));
    }

    /** A new key pair of this type (ECDSA on P-256). */
    public KeyPair generate() {
        if (this == ECDSA) {
            return EcKeys.generate();
        }
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate Ed25519 keys", e);
        }
    }

    /** True when the private key, of this type, is the counterpart of the public key. */
    public boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (this == ECDSA) {
            return EcKeys.matches(privateKey, publicKey);
        }
        if (!EdECObjectIdentifiers.id_Ed25519.equals(algorithmOf(privateKey))) {
            return false;
        }
        SubjectPublicKeyInfo publicInfo = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        if (!EdECObjectIdentifiers.id_Ed25519.equals(publicInfo.getAlgorithm().getAlgorithm())) {
            return false;
        }
        byte[] derived = new Ed25519PrivateKeyParameters(ed25519Seed(privateKey)).generatePublicKey().getEncoded();
        return Arrays.equals(derived, publicInfo.getPublicKeyData().getOctets());
    }

    /** True when the private key is the counterpart of the public key, whatever its (signing) type. */
    public static boolean keysMatch(PrivateKey privateKey, PublicKey publicKey) {
        ASN1ObjectIdentifier algorithm = algorithmOf(privateKey);
        if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
            return ED25519.matches(privateKey, publicKey);
        }
        return EcKeys.matches(privateKey, publicKey);
    }

    private static byte[] ed25519Seed(PrivateKey key) {
        try {
            return ASN1OctetString.getInstance(PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey())
                    .getOctets();
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("corrupt Ed25519 private key", e);
        }
    }

    private static ASN1ObjectIdentifier algorithmOf(PrivateKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
            return null;
        }
        try {
            return PrivateKeyInfo.getInstance(encoded).getPrivateKeyAlgorithm().getAlgorithm();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String nameOf(ASN1ObjectIdentifier algorithm, PrivateKey key) {
        if (EdECObjectIdentifiers.id_Ed448.equals(algorithm)) {
            return "Ed448";
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            return "RSA";
        }
        return algorithm == null ? key.getAlgorithm() : key.getAlgorithm() + " (" + algorithm.getId() + ")";
    }
}
