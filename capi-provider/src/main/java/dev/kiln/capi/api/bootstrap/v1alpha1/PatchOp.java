package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The operations of RFC 6902 JSON Patch. {@link ConfigPatch} keeps the op as a string; this enum gives the CRD schema
 * its allowed values and the code its names.
 */
public enum PatchOp {
    @JsonProperty("add") ADD,
    @JsonProperty("remove") REMOVE,
    @JsonProperty("replace") REPLACE,
    @JsonProperty("move") MOVE,
    @JsonProperty("copy") COPY,
    @JsonProperty("test") TEST;

    /** The spelling in the spec. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
