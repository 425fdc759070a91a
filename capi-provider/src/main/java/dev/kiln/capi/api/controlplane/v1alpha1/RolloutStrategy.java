package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStrategy {
    private RolloutStrategyType type;
    private RollingUpdate rollingUpdate;

    public RolloutStrategyType getType() { return type; }
    public void setType(RolloutStrategyType type) { this.type = type; }
    public RollingUpdate getRollingUpdate() { return rollingUpdate; }
    public void setRollingUpdate(RollingUpdate rollingUpdate) { this.rollingUpdate = rollingUpdate; }
}
