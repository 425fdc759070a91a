package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/**
 * Which machine config the bootstrap provider generates. The spec keeps the value as a string (see
 * {@link KilnConfigSpec#getGenerateType()}); this enum gives the CRD schema its allowed values and the code its names.
 */
public enum GenerateType {
    @JsonProperty("controlplane") CONTROLPLANE("controlplane"),
    @JsonProperty("worker") WORKER("worker"),
    /** Use {@code spec.data} as the whole config. */
    @JsonProperty("none") NONE("none");

    private final String wireName;

    GenerateType(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling in the spec. */
    public String wireName() {
        return wireName;
    }

    /** The type spelled exactly {@code value}, or empty for anything else (including null). */
    public static Optional<GenerateType> fromWireName(String value) {
        for (GenerateType type : values()) {
            if (type.wireName.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
