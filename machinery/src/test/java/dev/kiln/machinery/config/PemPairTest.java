package dev.kiln.machinery.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PemPairTest {

    @Test
    void decodesBase64BackToPemText() {
        PemPair pair = PemPair.fromPem(TestPem.CERT_PEM, TestPem.PKCS8_KEY_PEM);
        assertEquals(TestPem.CERT_PEM, pair.decodedCrt());
        assertEquals(TestPem.PKCS8_KEY_PEM, pair.decodedKey());
    }

    @Test
    void storesPartsAsBase64() {
        assertEquals(TestPem.certBase64(), PemPair.fromPem(TestPem.CERT_PEM, null).crt());
    }

    @Test
    void decodesAbsentOrEmptyPartToNull() {
        assertNull(new PemPair(TestPem.certBase64(), null).decodedKey());
        assertNull(new PemPair(TestPem.certBase64(), "").decodedKey());
    }

    @Test
    void rejectsDecodingNonBase64() {
        assertThrows(IllegalArgumentException.class, () -> new PemPair("not*base64", null).decodedCrt());
    }

    @Test
    void toStringNeverShowsTheKey() {
        PemPair pair = PemPair.fromPem("-----BEGIN CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----secret");

        String text = pair.toString();

        org.junit.jupiter.api.Assertions.assertFalse(text.contains(pair.key()), text);
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("(redacted)"), text);
    }
}
