package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import java.util.Set;

/**
 * Kiln's reconcilers read informers through {@link CachedReads} and {@link ClusterLookup}, never through
 * {@code Context.getSecondaryResources}. Without a primary-to-secondary mapper, JOSDK keeps an index from every
 * primary to the secondaries that ever named it, which nothing reads: with mappers that wake many primaries (a
 * KilnServer wakes every unprovisioned KilnMachine, a Cluster every primary of its cluster) it held hundreds of
 * thousands of entries at 100 clusters, most of them stale. Every Kiln informer event source starts from
 * {@link #informer}, which turns that index off.
 */
public final class SecondaryIndex {

    private SecondaryIndex() {
    }

    /** An informer event source of {@code type} for {@code primary}'s reconciler, without the unread index. */
    public static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> informer(Class<R> type,
            Class<? extends HasMetadata> primary) {
        return InformerEventSourceConfiguration.from(type, primary).withPrimaryToSecondaryMapper(none());
    }

    /** An informer of {@code type} that only serves reads: none of its events wakes a {@code primary}. */
    public static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> cacheOnly(Class<R> type,
            Class<? extends HasMetadata> primary) {
        return informer(type, primary)
                .withSecondaryToPrimaryMapper((R object) -> Set.of())
                .withOnAddFilter(added -> false)
                .withOnUpdateFilter((changed, before) -> false)
                .withOnDeleteFilter((deleted, unknownState) -> false);
    }

    /** Refuses use, so a read through the context fails loudly. */
    private static <P extends HasMetadata> PrimaryToSecondaryMapper<P> none() {
        return primary -> {
            throw new UnsupportedOperationException("secondary resources of " + primary.getKind() + " "
                    + primary.getMetadata().getName() + " are read through CachedReads, not the context");
        };
    }
}
