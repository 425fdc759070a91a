package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.common.ReleaseImageRules;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * KilnControlPlaneSpec less what each Cluster's topology sets: replicas, version and the machines' infrastructureRef
 * (ClusterClass spec.controlPlane.machineInfrastructure names that template). The release image follows the topology's
 * version through a ClusterClass patch (docs/upgrades.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = ReleaseImageRules.IN_PLACE_ONLY, fieldPath = ".releaseImage",
        message = ReleaseImageRules.IN_PLACE_ONLY_MESSAGE)
public class KilnControlPlaneTemplateResourceSpec {
    @ValidationRule(value = ReleaseImageRules.REFERENCE, message = ReleaseImageRules.REFERENCE_MESSAGE)
    @Size(max = ReleaseImageRules.MAX_LENGTH) private String releaseImage;
    private TemplateMachineTemplate machineTemplate;
    private KilnConfigSpec controlPlaneConfig;
    private RolloutStrategy rolloutStrategy;

    public String getReleaseImage() { return releaseImage; }
    public void setReleaseImage(String releaseImage) { this.releaseImage = releaseImage; }
    public TemplateMachineTemplate getMachineTemplate() { return machineTemplate; }
    public void setMachineTemplate(TemplateMachineTemplate machineTemplate) { this.machineTemplate = machineTemplate; }
    public KilnConfigSpec getControlPlaneConfig() { return controlPlaneConfig; }
    public void setControlPlaneConfig(KilnConfigSpec controlPlaneConfig) { this.controlPlaneConfig = controlPlaneConfig; }
    public RolloutStrategy getRolloutStrategy() { return rolloutStrategy; }
    public void setRolloutStrategy(RolloutStrategy rolloutStrategy) { this.rolloutStrategy = rolloutStrategy; }
}
