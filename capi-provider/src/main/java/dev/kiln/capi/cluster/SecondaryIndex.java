package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import java.util.Set;

/**
 * The configurations of Kiln's informer event sources ({@code SharedInformers}): a kind, the primary its events wake,
 * and the mapper and filters each reconciler adds. Reads go through {@link CachedReads} and {@link ClusterLookup}.
 */
public final class SecondaryIndex {

    private SecondaryIndex() {
    }

    /** An informer event source of {@code type} for {@code primary}'s reconciler. */
    public static <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> informer(Class<R> type,
            Class<? extends HasMetadata> primary) {
        return InformerEventSourceConfiguration.from(type, primary);
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
}
