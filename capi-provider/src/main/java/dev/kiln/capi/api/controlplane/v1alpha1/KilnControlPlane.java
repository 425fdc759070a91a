package dev.kiln.capi.api.controlplane.v1alpha1;

import dev.kiln.capi.api.common.ContractLabels;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cluster API control plane: the etcd-carrying machines of one workload cluster. */
@Group(KilnControlPlane.GROUP)
@Version(KilnControlPlane.VERSION)
@ShortNames("kilncp") // "kcp" belongs to KubeadmControlPlane
@Categories(ContractLabels.CATEGORY)
@Labels({ContractLabels.V1BETA2, ContractLabels.CONTROL_PLANE_PROVIDER})
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Initialized", jsonPath = ".status.initialized", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Replicas", jsonPath = ".status.replicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready Replicas", jsonPath = ".status.readyReplicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Updated", jsonPath = ".status.updatedReplicas", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class KilnControlPlane extends CustomResource<KilnControlPlaneSpec, KilnControlPlaneStatus> implements Namespaced {
    public static final String GROUP = "controlplane.cluster.x-k8s.io";
    public static final String VERSION = "v1alpha1";
}
