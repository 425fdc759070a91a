package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/** How long Cluster API may spend on each step of deleting a control-plane Machine; unset or 0 waits without limit. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineDeletion {
    @Min(0) private Integer nodeDrainTimeoutSeconds;
    @Min(0) private Integer nodeVolumeDetachTimeoutSeconds;
    @Min(0) private Integer nodeDeletionTimeoutSeconds;

    public Integer getNodeDrainTimeoutSeconds() { return nodeDrainTimeoutSeconds; }
    public void setNodeDrainTimeoutSeconds(Integer seconds) { this.nodeDrainTimeoutSeconds = seconds; }
    public Integer getNodeVolumeDetachTimeoutSeconds() { return nodeVolumeDetachTimeoutSeconds; }
    public void setNodeVolumeDetachTimeoutSeconds(Integer seconds) { this.nodeVolumeDetachTimeoutSeconds = seconds; }
    public Integer getNodeDeletionTimeoutSeconds() { return nodeDeletionTimeoutSeconds; }
    public void setNodeDeletionTimeoutSeconds(Integer seconds) { this.nodeDeletionTimeoutSeconds = seconds; }
}
