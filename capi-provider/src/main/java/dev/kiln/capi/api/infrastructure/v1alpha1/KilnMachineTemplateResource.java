package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import io.fabric8.generator.annotation.Required;

/** The KilnMachine a template stamps out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnMachineTemplateResource {
    /** Labels and annotations every KilnMachine made from this template gets. */
    private TemplateMetadata metadata;
    @Required private KilnMachineSpec spec;

    public KilnMachineSpec getSpec() { return spec; }
    public void setSpec(KilnMachineSpec spec) { this.spec = spec; }
    public TemplateMetadata getMetadata() { return metadata; }
    public void setMetadata(TemplateMetadata metadata) { this.metadata = metadata; }
}
