package dev.kiln.machinery.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A leaf certificate with its private key and the CA certificate that signed it. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey key, X509Certificate issuer) {

    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(issuer, "issuer");
    }

    public String certificatePem() {
        return Pem.encodeCertificate(certificate);
    }

    public String keyPem() {
        return Pem.encodePrivateKey(key);
    }

    public String issuerPem() {
        return Pem.encodeCertificate(issuer);
    }

    /** Leaf followed by its CA, the order TLS servers send. */
    public String chainPem() {
        return certificatePem() + issuerPem();
    }

    public String fingerprint() {
        return Pem.fingerprint(certificate);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IssuedCertificate that
                && certificate.equals(that.certificate)
                && EcKeys.sameEncoding(key, that.key)
                && issuer.equals(that.issuer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(certificate, EcKeys.encodingHash(key), issuer);
    }

    @Override
    public String toString() {
        return "IssuedCertificate[subject=" + certificate.getSubjectX500Principal().getName()
                + ", sha256=" + fingerprint() + "]";
    }
}
