package dev.kiln.testenv.capi;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.FailureDomain;
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
import java.util.HashMap;
import java.util.Map;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Cluster API's Cluster controller: takes the endpoint, readiness and failure domains from the infrastructure
 * cluster and readiness from the control plane, and on deletion removes the cluster's MachineDeployments, control
 * plane and Machines first and the infrastructure cluster last.
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
            // only this field: a merge patch of the whole object would append to its lists on the mock
            client.resources(Cluster.class).inNamespace(cluster.getMetadata().getNamespace())
                    .withName(cluster.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                            Serialization.asJson(Map.of("spec", Map.of("controlPlaneEndpoint", endpoint))));
            return UpdateControl.<Cluster>noUpdate().rescheduleAfter(Duration.ofMillis(100));
        }
        KilnControlPlane controlPlane = controlPlane(cluster);
        // As Cluster API's reconcileExternal: the referenced infrastructure cluster and control plane get the
        // cluster-name label and an ownerReference to the Cluster.
        boolean adopted = infra != null && adoptExternal(cluster, infra);
        adopted |= controlPlane != null && adoptExternal(cluster, controlPlane);
        if (adopted) {
            return UpdateControl.<Cluster>noUpdate().rescheduleAfter(Duration.ofMillis(100));
        }
        Cluster.Status status = cluster.getStatus() == null ? new Cluster.Status() : cluster.getStatus();
        status.setInfrastructureReady(infra != null && infra.getStatus() != null
                && Boolean.TRUE.equals(infra.getStatus().getReady()));
        status.setControlPlaneReady(controlPlane != null && controlPlane.getStatus() != null
                && Boolean.TRUE.equals(controlPlane.getStatus().getReady()));
        status.setPhase(Boolean.TRUE.equals(status.getInfrastructureReady()) ? "Provisioned" : "Provisioning");
        if (Boolean.TRUE.equals(status.getInfrastructureReady())) {
            status.setFailureDomains(failureDomains(infra));
        }
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

    /**
     * Adds the cluster-name label and the Cluster's ownerReference; true if it wrote anything. An update guarded by
     * resourceVersion (a conflict is retried on the next pass): the mock's patches append to lists or fail on them.
     */
    private boolean adoptExternal(Cluster cluster, HasMetadata object) {
        String name = cluster.getMetadata().getName();
        Map<String, String> labels = object.getMetadata().getLabels() == null ? new HashMap<>()
                : new HashMap<>(object.getMetadata().getLabels());
        boolean changed = !name.equals(labels.put(Machine.CLUSTER_NAME_LABEL, name));
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences() == null ? new ArrayList<>()
                : new ArrayList<>(object.getMetadata().getOwnerReferences());
        if (!Owners.isOwnedBy(object, cluster)) {
            refs.add(new OwnerReferenceBuilder().withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                    .withName(name).withUid(cluster.getMetadata().getUid()).withController(true)
                    .withBlockOwnerDeletion(true).build());
            changed = true;
        }
        if (!changed) {
            return false;
        }
        object.getMetadata().setLabels(labels);
        object.getMetadata().setOwnerReferences(refs);
        try {
            client.resource(object).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
        return true;
    }

    /** The infrastructure cluster's v1beta2 list, in the v1beta1 Cluster's map shape; null when it reports none. */
    static Map<String, Cluster.FailureDomainSpec> failureDomains(KilnCluster infra) {
        List<FailureDomain> reported = infra.getStatus().getFailureDomains();
        if (reported == null || reported.isEmpty()) {
            return null;
        }
        Map<String, Cluster.FailureDomainSpec> domains = new java.util.TreeMap<>();
        for (FailureDomain domain : reported) {
            Cluster.FailureDomainSpec spec = new Cluster.FailureDomainSpec();
            spec.setControlPlane(Boolean.TRUE.equals(domain.getControlPlane()));
            spec.setAttributes(domain.getAttributes());
            domains.put(domain.getName(), spec);
        }
        return domains;
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
