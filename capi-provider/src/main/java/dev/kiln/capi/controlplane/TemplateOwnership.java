package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineTemplate;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.core.v1beta1.Cluster;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives the control plane's KilnMachineTemplate an owner reference to the Cluster, as Cluster API's own control plane
 * does with its template: clusterctl move takes only what hangs off a Cluster, and scaling on the target needs it.
 */
final class TemplateOwnership {

    private TemplateOwnership() {
    }

    /** True when this pass added the reference; a template already owned by the Cluster, or none, is left alone. */
    static boolean adopt(KubernetesClient client, CachedReads<KilnMachineTemplate> templates,
            KilnControlPlane controlPlane, Cluster cluster) {
        var machineTemplate = controlPlane.getSpec().getMachineTemplate();
        if (MachineTemplateRef.problem(machineTemplate).isPresent()) {
            return false;
        }
        String name = MachineTemplateRef.chosen(machineTemplate).ref().getName();
        KilnMachineTemplate current = templates.get(controlPlane.getMetadata().getNamespace(), name).orElse(null);
        if (current == null || ownedBy(current, cluster)) {
            return false;
        }
        // Edited on a fresh read: a cached copy that lags an earlier adoption adds no second reference.
        client.resources(KilnMachineTemplate.class).inNamespace(controlPlane.getMetadata().getNamespace())
                .withName(name).edit(edited -> {
                    List<OwnerReference> refs = edited.getMetadata().getOwnerReferences() == null
                            ? new ArrayList<>() : new ArrayList<>(edited.getMetadata().getOwnerReferences());
                    if (!ownedBy(edited, cluster)) {
                        refs.add(KilnLabels.ownedBy(cluster, false));
                    }
                    edited.getMetadata().setOwnerReferences(refs);
                    return edited;
                });
        return true;
    }

    private static boolean ownedBy(KilnMachineTemplate template, Cluster cluster) {
        List<OwnerReference> refs = template.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(ref -> cluster.getMetadata().getUid().equals(ref.getUid()));
    }
}
