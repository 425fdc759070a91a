package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;

/**
 * Kiln's reconcilers read informers through {@link CachedReads} and {@link ClusterLookup}, never through
 * {@code Context.getSecondaryResources}. Without a primary-to-secondary mapper, JOSDK keeps an index from every
 * primary to the secondaries that ever named it, which nothing reads: with mappers that wake many primaries (a
 * KilnServer wakes every unprovisioned KilnMachine, a Cluster every primary of its cluster) it held hundreds of
 * thousands of entries at 100 clusters, most of them stale. Setting this mapper turns that index off.
 */
public final class SecondaryIndex {

    private SecondaryIndex() {
    }

    /** For {@code withPrimaryToSecondaryMapper}: refuses use, so a read through the context fails loudly. */
    public static <P extends HasMetadata> PrimaryToSecondaryMapper<P> none() {
        return primary -> {
            throw new UnsupportedOperationException("secondary resources of " + primary.getKind() + " "
                    + primary.getMetadata().getName() + " are read through CachedReads, not the context");
        };
    }
}
