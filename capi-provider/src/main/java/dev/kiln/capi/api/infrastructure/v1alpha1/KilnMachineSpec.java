package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

// Cluster API matches the Node by providerID, and kiln://<server> names the claimed server.
@ValidationRule(value = "!has(oldSelf.providerID) || (has(self.providerID) && self.providerID == oldSelf.providerID)",
        message = "providerID cannot change or be removed once set", fieldPath = ".providerID",
        reason = "FieldValueForbidden")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnMachineSpec {
    @JsonProperty("providerID") private String providerId;
    /** Which KilnServers in this namespace may be claimed for the machine; empty matches all. */
    private LabelSelector serverSelector;

    @JsonProperty("providerID") public String getProviderId() { return providerId; }
    @JsonProperty("providerID") public void setProviderId(String providerId) { this.providerId = providerId; }
    public LabelSelector getServerSelector() { return serverSelector; }
    public void setServerSelector(LabelSelector serverSelector) { this.serverSelector = serverSelector; }
}
