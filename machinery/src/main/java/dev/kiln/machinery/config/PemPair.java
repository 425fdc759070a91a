package dev.kiln.machinery.config;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A certificate and its private key as written in the config: each is base64 of PEM text, or {@code null} when
 * absent.
 */
public record PemPair(String crt, String key) {

    /** Builds a pair from PEM text, base64-encoding each part; a {@code null} part stays {@code null}. */
    public static PemPair fromPem(String crtPem, String keyPem) {
        return new PemPair(encode(crtPem), encode(keyPem));
    }

    /**
     * The certificate's PEM text, or {@code null} when {@code crt} is absent or empty.
     *
     * @throws IllegalArgumentException if {@code crt} is not base64
     */
    public String decodedCrt() {
        return decode(crt);
    }

    /**
     * The private key's PEM text, or {@code null} when {@code key} is absent or empty.
     *
     * @throws IllegalArgumentException if {@code key} is not base64
     */
    public String decodedKey() {
        return decode(key);
    }

    @Override
    public String toString() {
        return "PemPair[crt=" + crt + ", key=" + (key == null || key.isEmpty() ? "(none)" : "(redacted)") + "]";
    }

    private static String encode(String pem) {
        return pem == null ? null : Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String base64) {
        if (base64 == null || base64.isEmpty()) {
            return null;
        }
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
