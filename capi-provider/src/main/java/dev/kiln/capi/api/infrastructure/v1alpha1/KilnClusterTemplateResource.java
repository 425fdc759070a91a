package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.controlplane.v1alpha1.TemplateMetadata;
import io.fabric8.generator.annotation.Required;

/** The KilnCluster a ClusterClass stamps out, with its labels and annotations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnClusterTemplateResource {
    private TemplateMetadata metadata;
    @Required private KilnClusterSpec spec;

    public TemplateMetadata getMetadata() { return metadata; }
    public void setMetadata(TemplateMetadata metadata) { this.metadata = metadata; }
    public KilnClusterSpec getSpec() { return spec; }
    public void setSpec(KilnClusterSpec spec) { this.spec = spec; }
}
