package dev.kiln.machinery.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class EcKeysTest {

    @Test
    void derivedPublicKeyEqualsTheGeneratedOne() {
        KeyPair pair = EcKeys.generate();

        assertArrayEquals(pair.getPublic().getEncoded(), EcKeys.publicKeyOf(pair.getPrivate()).getEncoded());
    }

    @Test
    void matchesOnlyTheCounterpartPublicKey() {
        KeyPair pair = EcKeys.generate();
        KeyPair other = EcKeys.generate();

        assertTrue(EcKeys.matches(pair.getPrivate(), pair.getPublic()));
        assertFalse(EcKeys.matches(pair.getPrivate(), other.getPublic()));
    }
}
