package dev.kiln.capi.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DecodedBundlesTest {

    private static final SecretsBundle BUNDLE = SecretsBundle.generate();

    private static Secret secret(String uid, String resourceVersion) {
        return new SecretBuilder().withNewMetadata().withName("demo-kiln-secrets").withUid(uid)
                .withResourceVersion(resourceVersion).endMetadata().build();
    }

    private static Function<Secret, SecretsBundle> counting(AtomicInteger decodes) {
        return secret -> {
            decodes.incrementAndGet();
            return BUNDLE;
        };
    }

    @Test
    void aSecretIsDecodedOncePerResourceVersion() {
        AtomicInteger decodes = new AtomicInteger();
        assertSame(BUNDLE, DecodedBundles.of(secret("uid-once", "7"), counting(decodes)));
        assertSame(BUNDLE, DecodedBundles.of(secret("uid-once", "7"), counting(decodes)));
        assertEquals(1, decodes.get());
    }

    @Test
    void aNewResourceVersionIsDecodedAgain() {
        AtomicInteger decodes = new AtomicInteger();
        DecodedBundles.of(secret("uid-changed", "7"), counting(decodes));
        DecodedBundles.of(secret("uid-changed", "8"), counting(decodes));
        assertEquals(2, decodes.get());
    }

    @Test
    void aSecretRecreatedUnderTheSameNameIsDecodedAgain() {
        AtomicInteger decodes = new AtomicInteger();
        DecodedBundles.of(secret("uid-first", "7"), counting(decodes));
        DecodedBundles.of(secret("uid-second", "7"), counting(decodes));
        assertEquals(2, decodes.get());
    }

    @Test
    void aSecretWithoutVersionIsAlwaysDecoded() {
        AtomicInteger decodes = new AtomicInteger();
        DecodedBundles.of(secret(null, null), counting(decodes));
        DecodedBundles.of(secret(null, null), counting(decodes));
        assertEquals(2, decodes.get());
    }
}
