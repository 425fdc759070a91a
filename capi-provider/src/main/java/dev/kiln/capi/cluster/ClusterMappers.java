package dev.kiln.capi.cluster;

import dev.kiln.capi.core.v1beta1.Cluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Wakes every primary of one cluster, found in the primaries' informer cache by the cluster-name label. */
public final class ClusterMappers {

    private ClusterMappers() {
    }

    /** A Cluster's change (pause, endpoint, deletion) concerns every primary labelled with its name. */
    public static <P extends HasMetadata> SecondaryToPrimaryMapper<Cluster> fromCluster(EventSourceContext<P> context) {
        return cluster -> primariesOf(context, cluster.getMetadata().getNamespace(),
                Optional.of(cluster.getMetadata().getName()));
    }

    /** A labelled object's change concerns every primary of the same cluster. */
    public static <S extends HasMetadata, P extends HasMetadata> SecondaryToPrimaryMapper<S> sameCluster(
            EventSourceContext<P> context) {
        return object -> primariesOf(context, object.getMetadata().getNamespace(), KilnLabels.clusterOf(object));
    }

    private static <P extends HasMetadata> Set<ResourceID> primariesOf(EventSourceContext<P> context, String namespace,
            Optional<String> cluster) {
        if (cluster.isEmpty()) {
            return Set.of();
        }
        return context.getPrimaryCache().list(namespace, primary -> cluster.equals(KilnLabels.clusterOf(primary)))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
