package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;

/**
 * KilnControlPlaneSpec less what each Cluster's topology sets: replicas, version and the machines' infrastructureRef
 * (ClusterClass spec.controlPlane.machineInfrastructure names that template).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnControlPlaneTemplateResourceSpec {
    private TemplateMachineTemplate machineTemplate;
    private KilnConfigSpec controlPlaneConfig;
    private RolloutStrategy rolloutStrategy;

    public TemplateMachineTemplate getMachineTemplate() { return machineTemplate; }
    public void setMachineTemplate(TemplateMachineTemplate machineTemplate) { this.machineTemplate = machineTemplate; }
    public KilnConfigSpec getControlPlaneConfig() { return controlPlaneConfig; }
    public void setControlPlaneConfig(KilnConfigSpec controlPlaneConfig) { this.controlPlaneConfig = controlPlaneConfig; }
    public RolloutStrategy getRolloutStrategy() { return rolloutStrategy; }
    public void setRolloutStrategy(RolloutStrategy rolloutStrategy) { this.rolloutStrategy = rolloutStrategy; }
}
