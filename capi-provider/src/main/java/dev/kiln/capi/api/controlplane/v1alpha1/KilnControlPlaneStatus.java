package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.HasConditions;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.List;

/** Carries both the v1beta1 (ready, initialized, updatedReplicas...) and v1beta2 (initialization, upToDate) fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnControlPlaneStatus implements HasConditions {
    /** The label selector of this control plane's Machines, in string form, for the scale subresource. */
    @LabelSelector private String selector;
    @StatusReplicas private Integer replicas;
    private Integer readyReplicas;
    private Integer availableReplicas;
    private Integer upToDateReplicas;
    private Integer updatedReplicas;
    private Integer unavailableReplicas;
    private ControlPlaneInitialization initialization;
    private Boolean initialized;
    private Boolean ready;
    /** Deprecated by the v1beta2 contract in favour of versions: the lowest version any machine's node runs. */
    private String version;
    /** Machines per version their nodes run, oldest first (v1beta2 contract). */
    private List<StatusVersion> versions;
    /** The version each machine's node reports running, by machine name. */
    private List<MachineVersion> machineVersions;
    private List<Condition> conditions;
    private Long observedGeneration;
    /** The planner's last decision, for humans reading kubectl output. */
    private String lastDecision;

    public String getSelector() { return selector; }
    public void setSelector(String selector) { this.selector = selector; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Integer getReadyReplicas() { return readyReplicas; }
    public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    public Integer getAvailableReplicas() { return availableReplicas; }
    public void setAvailableReplicas(Integer availableReplicas) { this.availableReplicas = availableReplicas; }
    public Integer getUpToDateReplicas() { return upToDateReplicas; }
    public void setUpToDateReplicas(Integer upToDateReplicas) { this.upToDateReplicas = upToDateReplicas; }
    public Integer getUpdatedReplicas() { return updatedReplicas; }
    public void setUpdatedReplicas(Integer updatedReplicas) { this.updatedReplicas = updatedReplicas; }
    public Integer getUnavailableReplicas() { return unavailableReplicas; }
    public void setUnavailableReplicas(Integer unavailableReplicas) { this.unavailableReplicas = unavailableReplicas; }
    public ControlPlaneInitialization getInitialization() { return initialization; }
    public void setInitialization(ControlPlaneInitialization initialization) { this.initialization = initialization; }
    public Boolean getInitialized() { return initialized; }
    public void setInitialized(Boolean initialized) { this.initialized = initialized; }
    public Boolean getReady() { return ready; }
    public void setReady(Boolean ready) { this.ready = ready; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public List<StatusVersion> getVersions() { return versions; }
    public void setVersions(List<StatusVersion> versions) { this.versions = versions; }
    public List<MachineVersion> getMachineVersions() { return machineVersions; }
    public void setMachineVersions(List<MachineVersion> machineVersions) { this.machineVersions = machineVersions; }
    @Override public List<Condition> getConditions() { return conditions; }
    @Override public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public String getLastDecision() { return lastDecision; }
    public void setLastDecision(String lastDecision) { this.lastDecision = lastDecision; }
}
