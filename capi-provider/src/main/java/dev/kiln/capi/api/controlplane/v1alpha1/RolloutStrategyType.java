package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum RolloutStrategyType {
    /**
     * The default: a new spec.version is installed on the machines in place, one at a time (spec.releaseImage);
     * other changes (controlPlaneConfig, the template) replace outdated machines one at a time as RollingUpdate does.
     */
    @JsonProperty("InPlace") IN_PLACE,
    /** Replace outdated machines one at a time, a new spec.version included (KCP's replace rollout). */
    @JsonProperty("RollingUpdate") ROLLING_UPDATE,
    /** Replace a machine only when the user deletes it. */
    @JsonProperty("OnDelete") ON_DELETE
}
