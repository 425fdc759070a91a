package dev.kiln.capi.api.infrastructure.v1alpha1;

import dev.kiln.capi.api.common.ContractLabels;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crd.generator.annotation.Labels;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One physical machine in the inventory, claimable by a KilnMachine. Namespaced so that a tenant's servers,
 * the machines claiming them and the operator's rights over them all live in one namespace: no cross-namespace
 * claims and no ClusterRole needed to manage the inventory.
 */
@Group(KilnCluster.GROUP)
@Version(KilnCluster.VERSION)
@ShortNames("kilnsrv")
@Labels({ContractLabels.V1BETA2, ContractLabels.INFRASTRUCTURE_PROVIDER, ContractLabels.CLUSTERCTL_MOVE})
@AdditionalPrinterColumn(name = "Address", jsonPath = ".spec.address")
@AdditionalPrinterColumn(name = "InUse", jsonPath = ".status.inUse", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Clean", jsonPath = ".status.clean", type = Type.BOOLEAN)
@AdditionalPrinterColumn(name = "Machine", jsonPath = ".status.machineRef.name")
public class KilnServer extends CustomResource<KilnServerSpec, KilnServerStatus> implements Namespaced {
}
