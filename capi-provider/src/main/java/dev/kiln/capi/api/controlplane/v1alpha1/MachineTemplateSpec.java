package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.ContractVersionedRef;
import io.fabric8.generator.annotation.Required;

/** The Cluster API v1beta2 shape of what each control-plane Machine is made of. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineTemplateSpec {
    @Required private ContractVersionedRef infrastructureRef;
    private MachineDeletion deletion;

    public ContractVersionedRef getInfrastructureRef() { return infrastructureRef; }
    public void setInfrastructureRef(ContractVersionedRef infrastructureRef) { this.infrastructureRef = infrastructureRef; }
    public MachineDeletion getDeletion() { return deletion; }
    public void setDeletion(MachineDeletion deletion) { this.deletion = deletion; }
}
