package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.ReleaseImageRules;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Size;
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
    /**
     * The node-init release a worker installs before it reports ready, when its Machine's spec.version differs from
     * the version its node runs: URL@sha256:&lt;64 hex&gt;, the URL https or file (as KilnControlPlane's).
     */
    @ValidationRule(value = ReleaseImageRules.REFERENCE,
            message = ReleaseImageRules.REFERENCE_MESSAGE)
    @Size(max = ReleaseImageRules.MAX_LENGTH) private String releaseImage;

    @JsonProperty("providerID") public String getProviderId() { return providerId; }
    @JsonProperty("providerID") public void setProviderId(String providerId) { this.providerId = providerId; }
    public LabelSelector getServerSelector() { return serverSelector; }
    public void setServerSelector(LabelSelector serverSelector) { this.serverSelector = serverSelector; }
    public String getReleaseImage() { return releaseImage; }
    public void setReleaseImage(String releaseImage) { this.releaseImage = releaseImage; }
}
