package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnControlPlaneTemplateSpec {
    @Required private KilnControlPlaneTemplateResource template;

    public KilnControlPlaneTemplateResource getTemplate() { return template; }
    public void setTemplate(KilnControlPlaneTemplateResource template) { this.template = template; }
}
