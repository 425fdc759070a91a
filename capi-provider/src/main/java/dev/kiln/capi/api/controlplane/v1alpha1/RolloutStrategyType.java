package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum RolloutStrategyType {
    /** Replace outdated machines one at a time. */
    @JsonProperty("RollingUpdate") ROLLING_UPDATE,
    /** Replace a machine only when the user deletes it. */
    @JsonProperty("OnDelete") ON_DELETE
}
