package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.cluster.RecentlyUsed;
import dev.kiln.machinery.pki.SecretsBundle;
import dev.kiln.machinery.text.Sha256;
import java.util.function.Supplier;

/**
 * Configs already rendered, and what was already read from stored ones. A KilnConfig waits through several passes
 * (for its Machine's server, its etcd peers, its siblings), and each pass rendered its config and parsed the stored
 * one again: an eighth of the operator's CPU during a 60-cluster formation. A render reads only the KilnConfig (its
 * uid and resourceVersion stand for its spec), its target and the decoded secrets bundle, which is one object per
 * bundle Secret version ({@code DecodedBundles}); so an entry is never stale, and the least recently used go first.
 */
final class RenderedConfigs {

    /** A config is some kilobytes: this holds a burst of waiting configs without holding the fleet's. */
    static final int CAPACITY = 512;

    /** The bundle by identity: a new object is a new Secret version, or a bundle read live. */
    private record RenderKey(String uid, String resourceVersion, BootstrapDataBuilder.Target target,
            SecretsBundle bundle) {

        @Override
        public boolean equals(Object other) {
            return other instanceof RenderKey key && uid.equals(key.uid) && resourceVersion.equals(key.resourceVersion)
                    && target.equals(key.target) && bundle == key.bundle;
        }

        @Override
        public int hashCode() {
            return ((uid.hashCode() * 31 + resourceVersion.hashCode()) * 31 + target.hashCode()) * 31
                    + System.identityHashCode(bundle);
        }
    }

    /** The built config by identity, the stored text by its digest: the same render against the same stored text. */
    private record ComparisonKey(BootstrapDataBuilder.Outcome.Built built, String storedDigest) {

        @Override
        public boolean equals(Object other) {
            return other instanceof ComparisonKey key && built == key.built && storedDigest.equals(key.storedDigest);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(built) * 31 + storedDigest.hashCode();
        }
    }

    private final RecentlyUsed<RenderKey, BootstrapDataBuilder.Outcome> renders = new RecentlyUsed<>(CAPACITY);
    private final RecentlyUsed<ComparisonKey, Boolean> sameApartFromPeers = new RecentlyUsed<>(CAPACITY);
    private final RecentlyUsed<String, Boolean> controlPlaneStored = new RecentlyUsed<>(CAPACITY);

    /** {@code render}'s outcome, rendered once for this KilnConfig version, target and bundle. */
    BootstrapDataBuilder.Outcome render(KilnConfig config, BootstrapDataBuilder.Target target, SecretsBundle bundle,
            Supplier<BootstrapDataBuilder.Outcome> render) {
        String uid = config.getMetadata().getUid();
        String version = config.getMetadata().getResourceVersion();
        if (uid == null || version == null) {
            return render.get();
        }
        return renders.computeIfAbsent(new RenderKey(uid, version, target, bundle), render);
    }

    /** {@link EtcdPeersPatch#sameApartFromPeers}, once per rendered config and stored text. */
    boolean sameApartFromPeers(BootstrapDataBuilder.Outcome.Built built, String stored) {
        if (stored == null) {
            return EtcdPeersPatch.sameApartFromPeers(built, null);
        }
        return sameApartFromPeers.computeIfAbsent(new ComparisonKey(built, Sha256.hex(stored)),
                () -> EtcdPeersPatch.sameApartFromPeers(built, stored));
    }

    /** {@link BootstrapDataBuilder#isControlPlane}, once per stored text. */
    boolean isControlPlane(String stored) {
        return controlPlaneStored.computeIfAbsent(Sha256.hex(stored),
                () -> BootstrapDataBuilder.isControlPlane(stored));
    }
}
