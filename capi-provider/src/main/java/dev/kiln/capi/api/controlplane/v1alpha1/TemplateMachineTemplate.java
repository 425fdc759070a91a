package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** spec.machineTemplate of a KilnControlPlaneTemplate: everything but the infrastructureRef the topology sets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateMachineTemplate {
    private TemplateMetadata metadata;
    private TemplateMachineSpec spec;

    public TemplateMetadata getMetadata() { return metadata; }
    public void setMetadata(TemplateMetadata metadata) { this.metadata = metadata; }
    public TemplateMachineSpec getSpec() { return spec; }
    public void setSpec(TemplateMachineSpec spec) { this.spec = spec; }
}
