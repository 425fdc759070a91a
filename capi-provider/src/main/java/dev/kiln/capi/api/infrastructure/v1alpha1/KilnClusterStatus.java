package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.HasConditions;
import java.util.List;

/** Carries both the v1beta1 (ready) and v1beta2 (initialization) contract fields; provisioned is Kiln's own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnClusterStatus implements HasConditions {
    private Boolean provisioned;
    private Boolean ready;
    private InfrastructureInitialization initialization;
    private List<Condition> conditions;
    private Long observedGeneration;
    /** v1beta2 contract shape (a list); Cluster API releases speaking only the v1beta1 contract expect a map. */
    private List<FailureDomain> failureDomains;

    public Boolean getProvisioned() { return provisioned; }
    public void setProvisioned(Boolean provisioned) { this.provisioned = provisioned; }
    public Boolean getReady() { return ready; }
    public void setReady(Boolean ready) { this.ready = ready; }
    public InfrastructureInitialization getInitialization() { return initialization; }
    public void setInitialization(InfrastructureInitialization initialization) { this.initialization = initialization; }
    @Override public List<Condition> getConditions() { return conditions; }
    @Override public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
    public Long getObservedGeneration() { return observedGeneration; }
    public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
    public List<FailureDomain> getFailureDomains() { return failureDomains; }
    public void setFailureDomains(List<FailureDomain> failureDomains) { this.failureDomains = failureDomains; }
}
