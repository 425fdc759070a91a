package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.HostRules;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the workload cluster's API server is reached. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiEndpoint {
    /** Without brackets, also for IPv6; empty means not set yet. */
    @ValidationRule(value = "self == '' || " + HostRules.HOST,
            message = "host must be an IP address (IPv6 without brackets) or an RFC 1123 DNS name")
    @Size(max = 253) private String host;
    /** Unset means 6443. */
    @ValidationRule(value = "self >= 1 && self <= 65535", message = "port must be from 1 to 65535; leave it out for 6443")
    private Integer port;

    public ApiEndpoint() {}

    public ApiEndpoint(String host, Integer port) {
        this.host = host;
        this.port = port;
    }

    public String getHost() { return host; }
    public void setHost(String host) { this.host = host; }
    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
}
