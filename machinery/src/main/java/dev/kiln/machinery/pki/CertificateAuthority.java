package dev.kiln.machinery.pki;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;

/**
 * A CA certificate with its signing key. A key read from outside ({@link #fromPem}, a secrets bundle) is checked to
 * belong to the certificate; a generated one belongs to it by construction, and the check costs EC arithmetic that
 * a 100-cluster formation paid thousands of times.
 */
public record CertificateAuthority(X509Certificate certificate, PrivateKey key) {

    public CertificateAuthority {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException("certificate " + CertificateSigner.describe(certificate)
                    + " is not a CA certificate (basicConstraints CA:true missing)");
        }
    }

    /** A new self-signed P-256 CA. */
    public static CertificateAuthority generate(String commonName, Duration validity) {
        return generate(commonName, validity, CaKeyType.ECDSA);
    }

    /** A new self-signed CA whose key is of the given type. */
    public static CertificateAuthority generate(String commonName, Duration validity, CaKeyType keyType) {
        KeyPair keyPair = keyType.generate();
        X509Certificate certificate = CertificateSigner.selfSignedCa(commonName, keyPair.getPublic(),
                keyPair.getPrivate(), validity);
        return new CertificateAuthority(certificate, keyPair.getPrivate());
    }

    public CaKeyType keyType() {
        return CaKeyType.of(key);
    }

    /** Issues a leaf certificate for a freshly generated P-256 key. */
    public IssuedCertificate issue(CertificateRequest request) {
        KeyPair keyPair = EcKeys.generate();
        X509Certificate leaf = CertificateSigner.leaf(this, request, keyPair.getPublic());
        return new IssuedCertificate(leaf, keyPair.getPrivate(), certificate);
    }

    /** Signs a leaf certificate for a key generated elsewhere, as a certificate signing request brings it. */
    public X509Certificate sign(CertificateRequest request, java.security.PublicKey publicKey) {
        return CertificateSigner.leaf(this, request, publicKey);
    }

    public String certificatePem() {
        return Pem.encodeCertificate(certificate);
    }

    public String keyPem() {
        return Pem.encodePrivateKey(key);
    }

    /** Restores a CA from PEM, rejecting a key that does not belong to the certificate. */
    public static CertificateAuthority fromPem(String certificatePem, String keyPem) {
        X509Certificate certificate = parseCertificate(certificatePem);
        PrivateKey key = Pem.decodePrivateKey(keyPem);
        if (!CaKeyType.of(key).matches(key, certificate.getPublicKey())) {
            throw new IllegalArgumentException("private key does not match the public key of CA certificate "
                    + CertificateSigner.describe(certificate));
        }
        return new CertificateAuthority(certificate, key);
    }

    public static X509Certificate parseCertificate(String pem) {
        return Pem.decodeCertificate(pem);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateAuthority that
                && certificate.equals(that.certificate)
                && EcKeys.sameEncoding(key, that.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificate, EcKeys.encodingHash(key));
    }

    @Override
    public String toString() {
        return "CertificateAuthority[subject=" + CertificateSigner.describe(certificate)
                + ", sha256=" + Pem.fingerprint(certificate) + "]";
    }
}
