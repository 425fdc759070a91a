package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The v1beta2 contract's initialization block of an infrastructure cluster or machine. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class InfrastructureInitialization {
    private Boolean provisioned;

    public Boolean getProvisioned() { return provisioned; }
    public void setProvisioned(Boolean provisioned) { this.provisioned = provisioned; }
}
