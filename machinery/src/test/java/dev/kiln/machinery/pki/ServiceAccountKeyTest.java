package dev.kiln.machinery.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class ServiceAccountKeyTest {

    @Test
    void derivedPublicKeyVerifiesTokensSignedByThePrivateKey() throws Exception {
        ServiceAccountKey key = ServiceAccountKey.generate();
        byte[] token = "header.payload".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(EcKeys.SIGNATURE_ALGORITHM);
        signer.initSign(key.privateKey());
        signer.update(token);
        byte[] signature = signer.sign();

        Signature verifier = Signature.getInstance(EcKeys.SIGNATURE_ALGORITHM);
        verifier.initVerify(Pem.decodePublicKey(key.publicKeyPem()));
        verifier.update(token);
        assertTrue(verifier.verify(signature));
    }

    @Test
    void privateKeyPemRoundTrips() {
        ServiceAccountKey key = ServiceAccountKey.generate();

        assertEquals(key, ServiceAccountKey.fromPem(key.privateKeyPem()));
    }
}
