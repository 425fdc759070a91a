package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Where the workload cluster's API server is reached. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApiEndpoint {
    private String host;
    @Min(0) @Max(65535) private Integer port;

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
