package dev.kiln.capi.cluster;

import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.function.Function;

/**
 * Secrets bundles already decoded, by the Secret's uid and resourceVersion: every reconciler pass reads its cluster's
 * bundle, and parsing its keys and certificates again each time is most of a steady pass's CPU. A Secret's content
 * never changes under one resourceVersion, so an entry is never stale; the least recently read go first.
 */
final class DecodedBundles {

    static final int CAPACITY = 1024;

    private static final RecentlyUsed<String, SecretsBundle> BY_VERSION = new RecentlyUsed<>(CAPACITY);

    private DecodedBundles() {
    }

    static SecretsBundle of(Secret secret, Function<Secret, SecretsBundle> decode) {
        String uid = secret.getMetadata().getUid();
        String version = secret.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return decode.apply(secret);
        }
        return BY_VERSION.computeIfAbsent(uid + "@" + version, () -> decode.apply(secret));
    }
}
