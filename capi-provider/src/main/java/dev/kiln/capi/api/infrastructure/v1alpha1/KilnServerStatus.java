package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.HasConditions;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnServerStatus implements HasConditions {
    private Boolean inUse;
    /** Wiped since its last use, so it may be claimed again. */
    private Boolean clean;
    /** Last seen answering in maintenance mode, waiting for a config. */
    private Boolean maintenance;
    private MachineRef machineRef;
    private List<Condition> conditions;
    private Long observedGeneration;

    public Boolean getInUse() { return inUse; }
    public void setInUse(Boolean inUse) { this.inUse = inUse; }
    public Boolean getClean() { return clean; }
    public void setClean(Boolean clean) { this.clean = clean; }
    public Boolean getMaintenance() { return maintenance; }
    public void setMaintenance(Boolean maintenance) { this.maintenance = maintenance; }
    public MachineRef getMachineRef() { return machineRef; }
    public void setMachineRef(MachineRef machineRef) { this.machineRef = machineRef; }
    @Override public List<Condition> getConditions() { return conditions; }
    @Override public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
}
