package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The KilnServer a machine runs on, in the machine's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServerRef {
    @Required private String name;

    public ServerRef() {}

    public ServerRef(String name) {
        this.name = name;
    }

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
}
