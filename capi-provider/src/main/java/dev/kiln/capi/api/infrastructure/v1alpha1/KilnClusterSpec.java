package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnClusterSpec {
    private ApiEndpoint controlPlaneEndpoint;

    public ApiEndpoint getControlPlaneEndpoint() { return controlPlaneEndpoint; }
    public void setControlPlaneEndpoint(ApiEndpoint controlPlaneEndpoint) { this.controlPlaneEndpoint = controlPlaneEndpoint; }
}
