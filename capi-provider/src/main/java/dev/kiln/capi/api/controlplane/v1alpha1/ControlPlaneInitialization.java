package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The v1beta2 contract's initialization block of a control plane. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlPlaneInitialization {
    private Boolean controlPlaneInitialized;

    public Boolean getControlPlaneInitialized() { return controlPlaneInitialized; }
    public void setControlPlaneInitialized(Boolean controlPlaneInitialized) { this.controlPlaneInitialized = controlPlaneInitialized; }
}
