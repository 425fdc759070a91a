package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The KilnMachine a template stamps out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnMachineTemplateResource {
    @Required private KilnMachineSpec spec;

    public KilnMachineSpec getSpec() { return spec; }
    public void setSpec(KilnMachineSpec spec) { this.spec = spec; }
}
