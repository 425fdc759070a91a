package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The v1beta2 contract's initialization block of a bootstrap config. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BootstrapInitialization {
    private Boolean dataSecretCreated;

    public Boolean getDataSecretCreated() { return dataSecretCreated; }
    public void setDataSecretCreated(Boolean dataSecretCreated) { this.dataSecretCreated = dataSecretCreated; }
}
