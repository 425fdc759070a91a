package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import io.fabric8.generator.annotation.Required;

/** The KilnConfig a template stamps out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnConfigTemplateResource {
    /** Labels and annotations every KilnConfig made from this template gets. */
    private TemplateMetadata metadata;
    @Required private KilnConfigSpec spec;

    public KilnConfigSpec getSpec() { return spec; }
    public void setSpec(KilnConfigSpec spec) { this.spec = spec; }
    public TemplateMetadata getMetadata() { return metadata; }
    public void setMetadata(TemplateMetadata metadata) { this.metadata = metadata; }
}
