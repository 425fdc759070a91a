package dev.kiln.testenv.capi;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.core.v1beta1.ApiEndpoint;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cluster API's Cluster controller: takes the endpoint and readiness from the infrastructure cluster and the
 * control plane, and on deletion removes the cluster's MachineDeployments, control plane and Machines first and
 * the infrastructure cluster last.
 */
@ControllerConfiguration(name = "capi-cluster-standin", finalizerName = "cluster.x-k8s.io/cluster")
public final class ClusterStandIn implements Reconciler<Cluster>, Cleaner<Cluster> {

    private static final Duration POLL = Duration.ofSeconds(1);

    private final KubernetesClient client;

    public ClusterStandIn(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
        KilnCluster infra = infrastructure(cluster);
        if (infra != null && infra.getSpec() != null && infra.getSpec().getControlPlaneEndpoint() != null
                && cluster.getSpec().getControlPlaneEndpoint() == null) {
            ApiEndpoint endpoint = new ApiEndpoint();
            endpoint.setHost(infra.getSpec().getControlPlaneEndpoint().getHost());
            endpoint.setPort(infra.getSpec().getControlPlaneEndpoint().getPort());
            cluster.getSpec().setControlPlaneEndpoint(endpoint);
            Writes.mergePatch(client, cluster);
            return UpdateControl.<Cluster>noUpdate().rescheduleAfter(Duration.ofMillis(100));
        }
        KilnControlPlane controlPlane = controlPlane(cluster);
        Cluster.Status status = cluster.getStatus() == null ? new Cluster.Status() : cluster.getStatus();
        status.setInfrastructureReady(infra != null && infra.getStatus() != null
                && Boolean.TRUE.equals(infra.getStatus().getReady()));
        status.setControlPlaneReady(controlPlane != null && controlPlane.getStatus() != null
                && Boolean.TRUE.equals(controlPlane.getStatus().getReady()));
        status.setPhase(Boolean.TRUE.equals(status.getInfrastructureReady()) ? "Provisioned" : "Provisioning");
        cluster.setStatus(status);
        return UpdateControl.patchStatus(cluster).rescheduleAfter(Duration.ofSeconds(2));
    }

    @Override
    public DeleteControl cleanup(Cluster cluster, Context<Cluster> context) {
        String namespace = cluster.getMetadata().getNamespace();
        String name = cluster.getMetadata().getName();
        List<HasMetadata> first = new ArrayList<>();
        first.addAll(client.resources(MachineDeployment.class).inNamespace(namespace)
                .withLabel(Machine.CLUSTER_NAME_LABEL, name).list().getItems());
        first.addAll(client.resources(MachineSet.class).inNamespace(namespace)
                .withLabel(Machine.CLUSTER_NAME_LABEL, name).list().getItems());
        KilnControlPlane controlPlane = controlPlane(cluster);
        if (controlPlane != null) {
            first.add(controlPlane);
        }
        first.addAll(client.resources(Machine.class).inNamespace(namespace)
                .withLabel(Machine.CLUSTER_NAME_LABEL, name).list().getItems());
        first.removeIf(object -> object.getMetadata().getDeletionTimestamp() != null && !(object instanceof Machine));
        if (!first.isEmpty()) {
            first.stream().filter(object -> object.getMetadata().getDeletionTimestamp() == null)
                    .forEach(object -> client.resource(object).delete());
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL);
        }
        KilnCluster infra = infrastructure(cluster);
        if (infra != null) {
            client.resource(infra).delete();
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(POLL);
        }
        return DeleteControl.defaultDelete();
    }

    private KilnCluster infrastructure(Cluster cluster) {
        var ref = cluster.getSpec() == null ? null : cluster.getSpec().getInfrastructureRef();
        return ref == null ? null : client.resources(KilnCluster.class)
                .inNamespace(cluster.getMetadata().getNamespace()).withName(ref.getName()).get();
    }

    private KilnControlPlane controlPlane(Cluster cluster) {
        var ref = cluster.getSpec() == null ? null : cluster.getSpec().getControlPlaneRef();
        return ref == null ? null : client.resources(KilnControlPlane.class)
                .inNamespace(cluster.getMetadata().getNamespace()).withName(ref.getName()).get();
    }
}
