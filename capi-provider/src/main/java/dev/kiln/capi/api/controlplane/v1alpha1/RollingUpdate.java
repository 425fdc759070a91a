package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollingUpdate {
    /** 1 adds the new machine before removing the old; 0 removes first (for when no spare server exists). */
    @Min(0) @Max(1) private Integer maxSurge;

    public Integer getMaxSurge() { return maxSurge; }
    public void setMaxSurge(Integer maxSurge) { this.maxSurge = maxSurge; }
}
