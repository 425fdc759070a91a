package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;

/** How the machine config's hostname is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Hostname {
    /**
     * One of {@link HostnameSource}'s spellings. A string rather than the enum so that an unknown value (which the
     * schema refuses, but an old or unvalidated object may hold) still reads and is reported as a condition.
     */
    @SchemaFrom(type = HostnameSource.class) private String source;

    public String getSource() { return source; }
    public void setSource(String source) { this.source = source; }
}
