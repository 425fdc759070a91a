package dev.kiln.machinery.pki;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/** The P-256 key Kubernetes signs service account tokens with; the public half is derived. */
public record ServiceAccountKey(PrivateKey privateKey) {

    public ServiceAccountKey {
        EcKeys.requireEc(Objects.requireNonNull(privateKey, "privateKey"));
    }

    public static ServiceAccountKey generate() {
        return new ServiceAccountKey(EcKeys.generate().getPrivate());
    }

    public static ServiceAccountKey fromPem(String privateKeyPem) {
        return new ServiceAccountKey(Pem.decodePrivateKey(privateKeyPem));
    }

    public PublicKey publicKey() {
        return EcKeys.publicKeyOf(privateKey);
    }

    public String privateKeyPem() {
        return Pem.encodePrivateKey(privateKey);
    }

    public String publicKeyPem() {
        return Pem.encodePublicKey(publicKey());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceAccountKey that && EcKeys.sameEncoding(privateKey, that.privateKey);
    }

    @Override
    public int hashCode() {
        return EcKeys.encodingHash(privateKey);
    }

    @Override
    public String toString() {
        return "ServiceAccountKey[redacted]";
    }
}
