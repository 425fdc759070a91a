package dev.kiln.testenv.capi;

import dev.kiln.capi.core.v1beta1.MachineDeployment;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Cluster API's MachineDeployment controller, reduced to one MachineSet named after the deployment whose replicas
 * and delete policy follow the deployment's. Rolling a changed template out to new MachineSets is not part of the
 * stand-in.
 */
@ControllerConfiguration(name = "capi-machinedeployment-standin")
public final class MachineDeploymentStandIn implements Reconciler<MachineDeployment> {

    private final KubernetesClient client;

    public MachineDeploymentStandIn(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public UpdateControl<MachineDeployment> reconcile(MachineDeployment deployment, Context<MachineDeployment> context) {
        String namespace = deployment.getMetadata().getNamespace();
        String name = deployment.getMetadata().getName();
        String cluster = deployment.getSpec().getClusterName();
        // Cluster API's defaulting webhook labels a MachineDeployment with its cluster; deletion finds it by that label.
        Map<String, String> labels = deployment.getMetadata().getLabels() == null ? new HashMap<>()
                : new HashMap<>(deployment.getMetadata().getLabels());
        if (cluster != null && !cluster.equals(labels.get(dev.kiln.capi.core.v1beta1.Machine.CLUSTER_NAME_LABEL))) {
            labels.put(dev.kiln.capi.core.v1beta1.Machine.CLUSTER_NAME_LABEL, cluster);
            deployment.getMetadata().setLabels(labels);
            Writes.guardedUpdate(client, deployment);
            return UpdateControl.<MachineDeployment>noUpdate().rescheduleAfter(Duration.ofMillis(100));
        }
        MachineSet set = client.resources(MachineSet.class).inNamespace(namespace).withName(name).get();
        if (set == null) {
            set = new MachineSet();
            set.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                    .withLabels(Map.of(dev.kiln.capi.core.v1beta1.Machine.CLUSTER_NAME_LABEL,
                            deployment.getSpec().getClusterName()))
                    .withOwnerReferences(Owners.controller(deployment)).build());
            set.setSpec(new MachineSet.Spec());
            set.getSpec().setClusterName(deployment.getSpec().getClusterName());
            set.getSpec().setTemplate(Serialization.clone(deployment.getSpec().getTemplate()));
            set.getSpec().setSelector(deployment.getSpec().getSelector());
            set.getSpec().setReplicas(deployment.getSpec().getReplicas());
            set.getSpec().setDeletePolicy(deletePolicy(deployment));
            set = client.resource(set).create();
        } else if (!Objects.equals(set.getSpec().getReplicas(), deployment.getSpec().getReplicas())
                || !Objects.equals(set.getSpec().getDeletePolicy(), deletePolicy(deployment))) {
            Map<String, Object> changes = new HashMap<>();
            changes.put("replicas", deployment.getSpec().getReplicas());
            changes.put("deletePolicy", deletePolicy(deployment));
            set = Writes.mergePatchSpec(client, set, changes);
        }
        MachineDeployment.Status status = new MachineDeployment.Status();
        if (set.getStatus() != null) {
            status.setReplicas(set.getStatus().getReplicas());
            status.setReadyReplicas(set.getStatus().getReadyReplicas());
        }
        deployment.setStatus(status);
        return UpdateControl.patchStatus(deployment).rescheduleAfter(Duration.ofSeconds(2));
    }

    /** {@code spec.strategy.rollingUpdate.deletePolicy}, which Cluster API passes down to the MachineSet. */
    private static String deletePolicy(MachineDeployment deployment) {
        Object strategy = deployment.getSpec().getAdditionalProperties().get("strategy");
        Object rollingUpdate = strategy instanceof Map<?, ?> s ? s.get("rollingUpdate") : null;
        Object policy = rollingUpdate instanceof Map<?, ?> r ? r.get("deletePolicy") : null;
        return policy == null ? null : policy.toString();
    }
}
