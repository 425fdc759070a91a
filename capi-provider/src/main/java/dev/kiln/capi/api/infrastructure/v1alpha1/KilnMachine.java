package dev.kiln.capi.api.infrastructure.v1alpha1;

import dev.kiln.capi.api.common.ContractLabels;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Cluster API infrastructure machine: one Machine's claim on a KilnServer. */
@Group(KilnCluster.GROUP)
@Version(KilnCluster.VERSION)
@ShortNames("kilnm")
@Categories(ContractLabels.CATEGORY)
@Labels({ContractLabels.V1BETA2, ContractLabels.INFRASTRUCTURE_PROVIDER})
public class KilnMachine extends CustomResource<KilnMachineSpec, KilnMachineStatus> implements Namespaced {
}
