package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Map;
import java.util.Objects;

/**
 * A failure domain in the shape of the Cluster API v1beta2 contract. KilnServers belong to it through their
 * {@code topology.kubernetes.io/zone} label.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailureDomain {
    /** Equals the topology.kubernetes.io/zone label of the KilnServers in this domain. */
    @Required @Pattern("^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$") private String name;
    /** Control-plane machines are spread over the domains with controlPlane true. */
    private Boolean controlPlane;
    private Map<String, String> attributes;

    public FailureDomain() {}

    public FailureDomain(String name, Boolean controlPlane) {
        this.name = name;
        this.controlPlane = controlPlane;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Boolean getControlPlane() { return controlPlane; }
    public void setControlPlane(Boolean controlPlane) { this.controlPlane = controlPlane; }
    public Map<String, String> getAttributes() { return attributes; }
    public void setAttributes(Map<String, String> attributes) { this.attributes = attributes; }

    @Override
    public boolean equals(Object o) {
        return o instanceof FailureDomain other && Objects.equals(name, other.name)
                && Objects.equals(controlPlane, other.controlPlane) && Objects.equals(attributes, other.attributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, controlPlane, attributes);
    }
}
