package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnConfigTemplateSpec {
    @Required private KilnConfigTemplateResource template;

    public KilnConfigTemplateResource getTemplate() { return template; }
    public void setTemplate(KilnConfigTemplateResource template) { this.template = template; }
}
