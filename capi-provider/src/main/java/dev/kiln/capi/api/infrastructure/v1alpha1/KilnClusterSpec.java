package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnClusterSpec {
    private ApiEndpoint controlPlaneEndpoint;
    /** Where this cluster's machines may be placed; reported in status.failureDomains for Cluster API. */
    private List<FailureDomain> failureDomains;

    public ApiEndpoint getControlPlaneEndpoint() { return controlPlaneEndpoint; }
    public void setControlPlaneEndpoint(ApiEndpoint controlPlaneEndpoint) { this.controlPlaneEndpoint = controlPlaneEndpoint; }
    public List<FailureDomain> getFailureDomains() { return failureDomains; }
    public void setFailureDomains(List<FailureDomain> failureDomains) { this.failureDomains = failureDomains; }
}
