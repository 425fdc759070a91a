package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The KilnControlPlane a ClusterClass stamps out, with its labels and annotations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnControlPlaneTemplateResource {
    private TemplateMetadata metadata;
    @Required private KilnControlPlaneTemplateResourceSpec spec;

    public TemplateMetadata getMetadata() { return metadata; }
    public void setMetadata(TemplateMetadata metadata) { this.metadata = metadata; }
    public KilnControlPlaneTemplateResourceSpec getSpec() { return spec; }
    public void setSpec(KilnControlPlaneTemplateResourceSpec spec) { this.spec = spec; }
}
