package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.ObjectRef;
import io.fabric8.generator.annotation.Required;

/** How the control plane's Machines are made. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineTemplate {
    private TemplateMetadata metadata;
    @Required private ObjectRef infrastructureRef;
    /** A duration such as "5m"; unset waits for the drain without limit. */
    private String nodeDrainTimeout;

    public TemplateMetadata getMetadata() { return metadata; }
    public void setMetadata(TemplateMetadata metadata) { this.metadata = metadata; }
    public ObjectRef getInfrastructureRef() { return infrastructureRef; }
    public void setInfrastructureRef(ObjectRef infrastructureRef) { this.infrastructureRef = infrastructureRef; }
    public String getNodeDrainTimeout() { return nodeDrainTimeout; }
    public void setNodeDrainTimeout(String nodeDrainTimeout) { this.nodeDrainTimeout = nodeDrainTimeout; }
}
