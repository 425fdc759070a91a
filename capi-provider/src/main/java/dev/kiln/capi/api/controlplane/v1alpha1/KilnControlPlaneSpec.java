package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.ReleaseImageRules;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = ReleaseImageRules.IN_PLACE_ONLY, fieldPath = ".releaseImage",
        message = ReleaseImageRules.IN_PLACE_ONLY_MESSAGE)
public class KilnControlPlaneSpec {
    // I4: refused at admission (also through the scale subresource) and again by the reconciler, both saying why.
    @ValidationRule(value = "self % 2 == 1", message = "replicas must be odd (1, 3, 5): an even count survives no "
            + "more failures than one fewer, and 0 leaves no control plane")
    @SpecReplicas @Default("1") @Min(0) private Integer replicas;
    /** The node-init version the control-plane nodes should run (status.version reports the lowest they run). */
    @Required private String version;
    /** Where the node-init release of {@link #version} comes from: URL@sha256:&lt;64 hex&gt;, the URL https or file. */
    @ValidationRule(value = ReleaseImageRules.REFERENCE,
            message = ReleaseImageRules.REFERENCE_MESSAGE)
    @Size(max = ReleaseImageRules.MAX_LENGTH) private String releaseImage;
    @Required private MachineTemplate machineTemplate;
    private KilnConfigSpec controlPlaneConfig;
    private RolloutStrategy rolloutStrategy;
    /** Bootstrap etcd from this backup rather than empty (disaster recovery); read only at the cluster's bootstrap. */
    private RecoverFrom recoverFrom;

    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getReleaseImage() { return releaseImage; }
    public void setReleaseImage(String releaseImage) { this.releaseImage = releaseImage; }
    public MachineTemplate getMachineTemplate() { return machineTemplate; }
    public void setMachineTemplate(MachineTemplate machineTemplate) { this.machineTemplate = machineTemplate; }
    public KilnConfigSpec getControlPlaneConfig() { return controlPlaneConfig; }
    public void setControlPlaneConfig(KilnConfigSpec controlPlaneConfig) { this.controlPlaneConfig = controlPlaneConfig; }
    public RolloutStrategy getRolloutStrategy() { return rolloutStrategy; }
    public void setRolloutStrategy(RolloutStrategy rolloutStrategy) { this.rolloutStrategy = rolloutStrategy; }
    public RecoverFrom getRecoverFrom() { return recoverFrom; }
    public void setRecoverFrom(RecoverFrom recoverFrom) { this.recoverFrom = recoverFrom; }
}
