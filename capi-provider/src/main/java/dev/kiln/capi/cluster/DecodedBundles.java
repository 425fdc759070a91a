package dev.kiln.capi.cluster;

import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Secrets bundles already decoded, by the Secret's uid and resourceVersion: every reconciler pass reads its cluster's
 * bundle, and parsing its keys and certificates again each time is most of a steady pass's CPU. A Secret's content
 * never changes under one resourceVersion, so an entry is never stale; the least recently read go first.
 */
final class DecodedBundles {

    static final int CAPACITY = 1024;

    private static final Map<String, SecretsBundle> BY_VERSION = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SecretsBundle> eldest) {
            return size() > CAPACITY;
        }
    };

    private DecodedBundles() {
    }

    static SecretsBundle of(Secret secret, Function<Secret, SecretsBundle> decode) {
        String uid = secret.getMetadata().getUid();
        String version = secret.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return decode.apply(secret);
        }
        String key = uid + "@" + version;
        synchronized (BY_VERSION) {
            SecretsBundle known = BY_VERSION.get(key);
            if (known != null) {
                return known;
            }
        }
        SecretsBundle decoded = decode.apply(secret);
        synchronized (BY_VERSION) {
            BY_VERSION.put(key, decoded);
        }
        return decoded;
    }
}
