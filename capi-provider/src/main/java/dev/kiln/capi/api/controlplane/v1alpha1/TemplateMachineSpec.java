package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateMachineSpec {
    private MachineDeletion deletion;

    public MachineDeletion getDeletion() { return deletion; }
    public void setDeletion(MachineDeletion deletion) { this.deletion = deletion; }
}
