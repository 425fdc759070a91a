package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnMachineTemplateSpec {
    @Required private KilnMachineTemplateResource template;

    public KilnMachineTemplateResource getTemplate() { return template; }
    public void setTemplate(KilnMachineTemplateResource template) { this.template = template; }
}
