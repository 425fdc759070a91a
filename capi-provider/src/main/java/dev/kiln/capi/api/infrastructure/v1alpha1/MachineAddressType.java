package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The address kinds Cluster API's MachineAddress knows. */
public enum MachineAddressType {
    @JsonProperty("Hostname") HOSTNAME,
    @JsonProperty("ExternalIP") EXTERNAL_IP,
    @JsonProperty("InternalIP") INTERNAL_IP,
    @JsonProperty("ExternalDNS") EXTERNAL_DNS,
    @JsonProperty("InternalDNS") INTERNAL_DNS
}
