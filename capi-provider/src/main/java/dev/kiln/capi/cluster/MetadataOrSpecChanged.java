package dev.kiln.capi.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Passes an update that changed the spec (its generation) or what Cluster API writes into metadata: the owner
 * reference and cluster-name label that adopt an object, the paused annotation, finalizers and deletion. A change of
 * status alone, the reconciler's own writes included, does not pass. Generation-aware filtering alone misses an
 * adoption, which changes no generation, and leaves the object waiting for its resync.
 */
public final class MetadataOrSpecChanged implements OnUpdateFilter<HasMetadata> {

    @Override
    public boolean accept(HasMetadata updated, HasMetadata old) {
        ObjectMeta now = updated.getMetadata();
        ObjectMeta before = old.getMetadata();
        return !Objects.equals(now.getGeneration(), before.getGeneration())
                || !Objects.equals(now.getOwnerReferences(), before.getOwnerReferences())
                || !Objects.equals(now.getLabels(), before.getLabels())
                || !Objects.equals(now.getAnnotations(), before.getAnnotations())
                || !Objects.equals(now.getFinalizers(), before.getFinalizers())
                || !Objects.equals(now.getDeletionTimestamp(), before.getDeletionTimestamp());
    }
}
