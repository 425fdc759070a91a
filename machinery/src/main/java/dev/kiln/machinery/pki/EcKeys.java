package dev.kiln.machinery.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;

/** ECDSA P-256 keys: the one curve every Kiln consumer (etcd 3.4, Go TLS, Java TLS) accepts. */
public final class EcKeys {

    public static final String CURVE = "secp256r1";
    public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private static final SecureRandom RANDOM = new SecureRandom();

    private EcKeys() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate " + CURVE + " keys", e);
        }
    }

    /** Recomputes the public key (d·G) because PKCS#8 EC keys usually do not carry it. */
    public static PublicKey publicKeyOf(PrivateKey privateKey) {
        ECPrivateKey ecKey = requireEc(privateKey);
        ECParameterSpec params = ecKey.getParams();
        org.bouncycastle.math.ec.ECPoint q = EC5Util.convertSpec(params).getG().multiply(ecKey.getS()).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, params));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot derive the public key of this EC private key", e);
        }
    }

    /** True when the private key is the counterpart of the public key. */
    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (!(privateKey instanceof ECPrivateKey) || !(publicKey instanceof ECPublicKey ecPublic)) {
            return false;
        }
        if (!((ECPrivateKey) privateKey).getParams().getOrder().equals(ecPublic.getParams().getOrder())) {
            return false;
        }
        // d·G through the JDK's ECDH with the generator as the peer: one multiplication, where a signature and its
        // check took three, and without Bouncy Castle's EC math and named-curve tables (a few hundred classes).
        // ECDH yields x alone, so the public key -d·G would pass too; no accidental mismatch is a negation.
        ECParameterSpec params = ecPublic.getParams();
        try {
            PublicKey generator = KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(params.getGenerator(), params));
            KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
            agreement.init(privateKey);
            agreement.doPhase(generator, true);
            return new BigInteger(1, agreement.generateSecret()).equals(ecPublic.getW().getAffineX());
        } catch (GeneralSecurityException | IllegalStateException e) {
            return false;
        }
    }

    static ECPrivateKey requireEc(PrivateKey privateKey) {
        if (privateKey instanceof ECPrivateKey ecKey) {
            return ecKey;
        }
        throw new IllegalArgumentException("expected an EC private key, got " + privateKey.getAlgorithm());
    }

    // Key classes differ in equals() across providers; the encoded form is the identity we care about.
    static boolean sameEncoding(Key a, Key b) {
        return Arrays.equals(a.getEncoded(), b.getEncoded());
    }

    static int encodingHash(Key key) {
        return Arrays.hashCode(key.getEncoded());
    }
}
