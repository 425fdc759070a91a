package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.ObjectRef;

/**
 * How the control plane's Machines are made. {@code spec} is the Cluster API v1beta2 shape; {@code infrastructureRef}
 * and {@code nodeDrainTimeout} are the v1beta1 shape, still read for one release and refused when they disagree.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineTemplate {
    private TemplateMetadata metadata;
    private MachineTemplateSpec spec;
    /** Deprecated: use spec.infrastructureRef. */
    private ObjectRef infrastructureRef;
    /** Deprecated: use spec.deletion.nodeDrainTimeoutSeconds. A duration such as "5m". */
    private String nodeDrainTimeout;

    public TemplateMetadata getMetadata() { return metadata; }
    public void setMetadata(TemplateMetadata metadata) { this.metadata = metadata; }
    public MachineTemplateSpec getSpec() { return spec; }
    public void setSpec(MachineTemplateSpec spec) { this.spec = spec; }
    public ObjectRef getInfrastructureRef() { return infrastructureRef; }
    public void setInfrastructureRef(ObjectRef infrastructureRef) { this.infrastructureRef = infrastructureRef; }
    public String getNodeDrainTimeout() { return nodeDrainTimeout; }
    public void setNodeDrainTimeout(String nodeDrainTimeout) { this.nodeDrainTimeout = nodeDrainTimeout; }
}
