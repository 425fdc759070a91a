package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The operations of RFC 6902 JSON Patch. */
public enum PatchOp {
  @JsonProperty("add") ADD,
  @JsonProperty("remove") REMOVE,
  @JsonProperty("replace") REPLACE,
  @JsonProperty("move") MOVE,
  @JsonProperty("copy") COPY,
  @JsonProperty("test") TEST
}
