package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** How many control-plane machines run one Kubernetes version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StatusVersion {
    @Required private String version;
    private Integer replicas;

    public StatusVersion() {}

    public StatusVersion(String version, Integer replicas) {
        this.version = version;
        this.replicas = replicas;
    }

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
}
