package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnClusterTemplateSpec {
    @Required private KilnClusterTemplateResource template;

    public KilnClusterTemplateResource getTemplate() { return template; }
    public void setTemplate(KilnClusterTemplateResource template) { this.template = template; }
}
