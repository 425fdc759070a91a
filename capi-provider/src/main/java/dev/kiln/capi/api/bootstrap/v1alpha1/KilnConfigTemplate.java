package dev.kiln.capi.api.bootstrap.v1alpha1;

import dev.kiln.capi.api.common.ContractLabels;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** The KilnConfig that MachineDeployments and control planes copy for each new machine. */
@Group(KilnConfig.GROUP)
@Version(KilnConfig.VERSION)
@Categories(ContractLabels.CATEGORY)
@Labels({ContractLabels.V1BETA2, ContractLabels.BOOTSTRAP_PROVIDER})
public class KilnConfigTemplate extends CustomResource<KilnConfigTemplateSpec, Void> implements Namespaced {
}
