package dev.kiln.machinery.pki;

import java.util.Arrays;
import java.util.Optional;

/**
 * Reads the key algorithm of a PKCS#8 PrivateKeyInfo with a few DER steps, so an EC or RSA key goes to the JDK's own
 * factory without Bouncy Castle's ASN.1 parser (several hundred classes at a node's start).
 */
final class Pkcs8 {

    private static final byte[] ID_EC_PUBLIC_KEY = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    private static final byte[] RSA_ENCRYPTION = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01,
        0x01};

    private Pkcs8() {
    }

    /** "EC" or "RSA" when the DER is a PrivateKeyInfo of that algorithm; empty for anything else, malformed too. */
    static Optional<String> jdkAlgorithm(byte[] der) {
        // PrivateKeyInfo ::= SEQUENCE { version INTEGER, AlgorithmIdentifier SEQUENCE { OID, params }, OCTET STRING }
        int[] info = element(der, 0, 0x30);
        if (info == null) {
            return Optional.empty();
        }
        int[] version = element(der, info[0], 0x02);
        int[] algorithm = version == null ? null : element(der, version[1], 0x30);
        int[] oid = algorithm == null ? null : element(der, algorithm[0], 0x06);
        if (oid == null) {
            return Optional.empty();
        }
        byte[] value = Arrays.copyOfRange(der, oid[0], oid[1]);
        if (Arrays.equals(value, ID_EC_PUBLIC_KEY)) {
            return Optional.of("EC");
        }
        return Arrays.equals(value, RSA_ENCRYPTION) ? Optional.of("RSA") : Optional.empty();
    }

    /** {content start, content end} of the element with this tag at {@code at}, or null when there is none. */
    private static int[] element(byte[] der, int at, int tag) {
        if (at + 2 > der.length || (der[at] & 0xFF) != tag) {
            return null;
        }
        int length = der[at + 1] & 0xFF;
        int start = at + 2;
        if (length >= 0x80) {
            int bytes = length & 0x7F;
            if (bytes == 0 || bytes > 3 || start + bytes > der.length) {
                return null;
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[start + i] & 0xFF);
            }
            start += bytes;
        }
        return start + length > der.length ? null : new int[] {start, start + length};
    }
}
