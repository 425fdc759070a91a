package dev.kiln.capi.api.controlplane.v1alpha1;

import dev.kiln.capi.api.common.ContractLabels;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A KilnControlPlane for ClusterClasses. Nothing in Kiln reconciles it: Cluster API's topology controller clones
 * spec.template into each Cluster's KilnControlPlane, adding replicas, version and the machine infrastructureRef.
 */
@Group(KilnControlPlane.GROUP)
@Version(KilnControlPlane.VERSION)
@Categories(ContractLabels.CATEGORY)
@Labels({ContractLabels.V1BETA2, ContractLabels.CONTROL_PLANE_PROVIDER})
public class KilnControlPlaneTemplate extends CustomResource<KilnControlPlaneTemplateSpec, Void> implements Namespaced {
}
