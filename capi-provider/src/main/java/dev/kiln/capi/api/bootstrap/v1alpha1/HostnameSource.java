package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** Where a machine's hostname comes from. */
public enum HostnameSource {
    /** Leave the hostname to the machine config. */
    NONE(""),
    MACHINE_NAME("MachineName"),
    INFRASTRUCTURE_NAME("InfrastructureName");

    private final String value;

    HostnameSource(String value) {
        this.value = value;
    }

    // @JsonValue rather than @JsonProperty: Jackson reads an empty @JsonProperty as "no name given".
    @JsonValue
    public String value() {
        return value;
    }

    /** The source spelled exactly {@code value}, or empty for anything else (including null). */
    public static Optional<HostnameSource> fromValue(String value) {
        for (HostnameSource source : values()) {
            if (source.value.equals(value)) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }
}
