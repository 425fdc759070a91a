package dev.kiln.capi.api.bootstrap.v1alpha1;

import dev.kiln.capi.api.common.ContractLabels;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cluster API bootstrap config: the machine config of one machine, delivered as a data secret. */
@Group(KilnConfig.GROUP)
@Version(KilnConfig.VERSION)
@Categories(ContractLabels.CATEGORY)
@Labels({ContractLabels.V1BETA2, ContractLabels.BOOTSTRAP_PROVIDER})
public class KilnConfig extends CustomResource<KilnConfigSpec, KilnConfigStatus> implements Namespaced {
    public static final String GROUP = "bootstrap.cluster.x-k8s.io";
    public static final String VERSION = "v1alpha1";
}
