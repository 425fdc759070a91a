package dev.kiln.capi.cluster;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.ObjectReference;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Finds the Cluster an object belongs to, and the Machines of a cluster. */
public final class ClusterLookup {

    /** A cache that holds no Cluster: every read through it is live. */
    public static final Function<ResourceID, Optional<Cluster>> NOTHING_CACHED = id -> Optional.empty();

    private final KubernetesClient client;

    public ClusterLookup(KubernetesClient client) {
        this.client = client;
    }

    public Optional<Cluster> clusterOf(HasMetadata object) {
        return KilnLabels.clusterOf(object).flatMap(name -> cluster(object.getMetadata().getNamespace(), name));
    }

    public Optional<Cluster> cluster(String namespace, String name) {
        return Optional.ofNullable(client.resources(Cluster.class).inNamespace(namespace).withName(name).get());
    }

    /**
     * Like {@link #clusterOf(HasMetadata)}, but read from {@code cache} when it holds the Cluster; live otherwise, so
     * that a cache not yet synced never makes a Cluster look missing.
     */
    public Optional<Cluster> clusterOf(HasMetadata object, Function<ResourceID, Optional<Cluster>> cache) {
        return KilnLabels.clusterOf(object).flatMap(name -> cluster(object.getMetadata().getNamespace(), name, cache));
    }

    /** Like {@link #cluster(String, String)}, but read from {@code cache} when it holds the Cluster; live otherwise. */
    public Optional<Cluster> cluster(String namespace, String name, Function<ResourceID, Optional<Cluster>> cache) {
        return cache.apply(new ResourceID(name, namespace)).or(() -> cluster(namespace, name));
    }

    /** The cache of the one Cluster informer the reconciler of {@code context} registers. */
    public static Function<ResourceID, Optional<Cluster>> informerCache(Context<?> context) {
        EventSource<Cluster, ?> source = context.eventSourceRetriever().getEventSourceFor(Cluster.class);
        if (!(source instanceof Cache<?>)) {
            throw new IllegalStateException("the event source for Cluster, " + source.name() + ", keeps no cache");
        }
        @SuppressWarnings("unchecked")
        Cache<Cluster> cache = (Cache<Cluster>) source;
        return cache::get;
    }

    /** The KilnControlPlane the Cluster's controlPlaneRef names; empty for a control plane of another kind or none. */
    public Optional<KilnControlPlane> kilnControlPlaneOf(Cluster cluster) {
        return kilnControlPlaneName(cluster).map(name -> client.resources(KilnControlPlane.class)
                .inNamespace(cluster.getMetadata().getNamespace()).withName(name).get());
    }

    /** The name of the KilnControlPlane the Cluster's controlPlaneRef names; empty for another kind or none. */
    public static Optional<String> kilnControlPlaneName(Cluster cluster) {
        ObjectReference ref = cluster.getSpec() == null ? null : cluster.getSpec().getControlPlaneRef();
        return ref == null || !"KilnControlPlane".equals(ref.getKind()) ? Optional.empty()
                : Optional.ofNullable(ref.getName());
    }

    /** The Machine that owns {@code object} through an owner reference of kind Machine. */
    public Optional<Machine> owningMachine(HasMetadata object) {
        return KilnLabels.ownerOfKind(object, "Machine").flatMap(ref -> Optional.ofNullable(
                client.resources(Machine.class).inNamespace(object.getMetadata().getNamespace())
                        .withName(ref.getName()).get()));
    }

    public List<Machine> machines(Cluster cluster) {
        return client.resources(Machine.class).inNamespace(cluster.getMetadata().getNamespace())
                .withLabel(KilnLabels.CLUSTER_NAME, cluster.getMetadata().getName()).list().getItems();
    }

    public List<Machine> controlPlaneMachines(Cluster cluster) {
        return machines(cluster).stream().filter(Machine::isControlPlane).toList();
    }
}
