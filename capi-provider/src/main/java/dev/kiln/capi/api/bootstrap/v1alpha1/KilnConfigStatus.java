package dev.kiln.capi.api.bootstrap.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.HasConditions;
import java.util.List;

/** Carries both the v1beta1 (ready, failure*) and v1beta2 (initialization) contract fields. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnConfigStatus implements HasConditions {
    private String dataSecretName;
    private BootstrapInitialization initialization;
    private Boolean ready;
    private List<Condition> conditions;
    private Long observedGeneration;
    private String failureReason;
    private String failureMessage;

    public String getDataSecretName() { return dataSecretName; }
    public void setDataSecretName(String dataSecretName) { this.dataSecretName = dataSecretName; }
    public BootstrapInitialization getInitialization() { return initialization; }
    public void setInitialization(BootstrapInitialization initialization) { this.initialization = initialization; }
    public Boolean getReady() { return ready; }
    public void setReady(Boolean ready) { this.ready = ready; }
    @Override public List<Condition> getConditions() { return conditions; }
    @Override public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public String getFailureReason() { return failureReason; }
    public void setFailureReason(String failureReason) { this.failureReason = failureReason; }
    public String getFailureMessage() { return failureMessage; }
    public void setFailureMessage(String failureMessage) { this.failureMessage = failureMessage; }
}
