package dev.kiln.machinery.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.util.Properties;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** Checks that config values are base64 PEM holding what they claim to hold. */
public final class PemContent {

    // Talos writes Ed25519 keys under this PEM type; the body is plain PKCS#8.
    private static final String ED25519_KEY_TYPE = "ED25519 PRIVATE KEY";
    private static final String CERTIFICATE_TYPE = "CERTIFICATE";
    private static final String ALLOW_EMPTY_ISSUER = "org.bouncycastle.x509.allow_empty_issuer_cert";

    private PemContent() {
    }

    static boolean isBase64(String value) {
        return decodeBase64(value) != null;
    }

    public static boolean isBase64OrUrlSafeBase64(String value) {
        if (isBase64(value)) {
            return true;
        }
        try {
            Base64.getUrlDecoder().decode(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** True if {@code base64} decodes to PEM whose first object is an X.509 certificate. */
    public static boolean isCertificate(String base64) {
        Object parsed = parseFirstObject(base64);
        return parsed instanceof X509CertificateHolder;
    }

    /** True if {@code base64} decodes to PEM whose first object is an unencrypted private key. */
    public static boolean isPrivateKey(String base64) {
        Object parsed = parseFirstObject(base64);
        return parsed instanceof PEMKeyPair || parsed instanceof PrivateKeyInfo;
    }

    private static Object parseFirstObject(String base64) {
        byte[] pem = decodeBase64(base64);
        if (pem == null) {
            return null;
        }
        String text = new String(pem, StandardCharsets.UTF_8);
        try {
            PemObject raw = new PemReader(new StringReader(text)).readPemObject();
            if (raw == null) {
                return null;
            }
            if (CERTIFICATE_TYPE.equals(raw.getType())) {
                return certificate(raw.getContent());
            }
            if (ED25519_KEY_TYPE.equals(raw.getType())) {
                return PrivateKeyInfo.getInstance(raw.getContent());
            }
            return new PEMParser(new StringReader(text)).readObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // Talos issues its aggregator CA with an empty subject and issuer, which Bouncy Castle refuses unless told, here
    // for this thread and this parse only.
    private static X509CertificateHolder certificate(byte[] der) throws IOException {
        Properties.setThreadOverride(ALLOW_EMPTY_ISSUER, true);
        try {
            return new X509CertificateHolder(der);
        } finally {
            Properties.removeThreadOverride(ALLOW_EMPTY_ISSUER);
        }
    }

    private static byte[] decodeBase64(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
