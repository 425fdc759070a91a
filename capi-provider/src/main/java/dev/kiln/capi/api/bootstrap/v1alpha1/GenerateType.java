package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which machine config the bootstrap provider generates. */
public enum GenerateType {
  @JsonProperty("controlplane") CONTROLPLANE,
  @JsonProperty("worker") WORKER,
  /** Use {@code spec.data} as the whole config. */
  @JsonProperty("none") NONE
}
