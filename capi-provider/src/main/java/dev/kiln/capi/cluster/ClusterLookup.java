package dev.kiln.capi.cluster;

import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/** Finds the Cluster an object belongs to, and the Machines of a cluster. */
public final class ClusterLookup {

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
