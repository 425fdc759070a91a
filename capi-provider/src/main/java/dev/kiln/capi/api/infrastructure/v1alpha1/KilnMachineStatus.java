package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.HasConditions;
import java.util.List;

/** Carries both the v1beta1 (ready, failure*) and v1beta2 (initialization) contract fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnMachineStatus implements HasConditions {
    private List<MachineAddress> addresses;
    private Boolean ready;
    private InfrastructureInitialization initialization;
    private ServerRef serverRef;
    private List<Condition> conditions;
    private Long observedGeneration;
    private String failureReason;
    private String failureMessage;

    public List<MachineAddress> getAddresses() { return addresses; }
    public void setAddresses(List<MachineAddress> addresses) { this.addresses = addresses; }
    public Boolean getReady() { return ready; }
    public void setReady(Boolean ready) { this.ready = ready; }
    public InfrastructureInitialization getInitialization() { return initialization; }
    public void setInitialization(InfrastructureInitialization initialization) { this.initialization = initialization; }
    public ServerRef getServerRef() { return serverRef; }
    public void setServerRef(ServerRef serverRef) { this.serverRef = serverRef; }
    @Override public List<Condition> getConditions() { return conditions; }
    @Override public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public String getFailureReason() { return failureReason; }
    public void setFailureReason(String failureReason) { this.failureReason = failureReason; }
    public String getFailureMessage() { return failureMessage; }
    public void setFailureMessage(String failureMessage) { this.failureMessage = failureMessage; }
}
