package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The KilnConfig a template stamps out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnConfigTemplateResource {
    @Required private KilnConfigSpec spec;

    public KilnConfigSpec getSpec() { return spec; }
    public void setSpec(KilnConfigSpec spec) { this.spec = spec; }
}
