package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

// Cluster API copies the endpoint into the Cluster once; machine configs and kubeconfigs are made from that copy.
@ValidationRule(value = "!has(oldSelf.controlPlaneEndpoint) || !has(oldSelf.controlPlaneEndpoint.host)"
        + " || oldSelf.controlPlaneEndpoint.host == ''"
        + " || (has(self.controlPlaneEndpoint) && self.controlPlaneEndpoint == oldSelf.controlPlaneEndpoint)",
        message = "controlPlaneEndpoint cannot change once its host is set", fieldPath = ".controlPlaneEndpoint",
        reason = "FieldValueForbidden")
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
