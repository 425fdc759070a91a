package dev.kiln.capi.api.infrastructure.v1alpha1;

import dev.kiln.capi.api.common.ContractLabels;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cluster API infrastructure cluster: the workload cluster's endpoint on Kiln machines. */
@Group(KilnCluster.GROUP)
@Version(KilnCluster.VERSION)
@Categories(ContractLabels.CATEGORY)
@Labels({ContractLabels.V1BETA2, ContractLabels.INFRASTRUCTURE_PROVIDER})
public class KilnCluster extends CustomResource<KilnClusterSpec, KilnClusterStatus> implements Namespaced {
    public static final String GROUP = "infrastructure.cluster.x-k8s.io";
    public static final String VERSION = "v1alpha1";
}
