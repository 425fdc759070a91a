package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.releaseImage) || !has(self.rolloutStrategy) || !has(self.rolloutStrategy.type) "
        + "|| self.rolloutStrategy.type == 'InPlace'", fieldPath = ".releaseImage",
        message = "releaseImage is installed in place: it needs rolloutStrategy.type InPlace (RollingUpdate and "
                + "OnDelete replace machines, which installs no release)")
public class KilnControlPlaneSpec {
    // I4: refused at admission (also through the scale subresource) and again by the reconciler, both saying why.
    @ValidationRule(value = "self % 2 == 1", message = "replicas must be odd (1, 3, 5): an even count survives no "
            + "more failures than one fewer, and 0 leaves no control plane")
    @SpecReplicas @Default("1") @Min(0) private Integer replicas;
    /** The node-init version the control-plane nodes should run (status.version reports the lowest they run). */
    @Required private String version;
    /** Where the node-init release of {@link #version} comes from: URL@sha256:&lt;64 hex&gt;, the URL https or file. */
    @ValidationRule(value = "self.matches('^(https|file)://[^@ ]+@sha256:[0-9a-f]{64}$')",
            message = "releaseImage must be URL@sha256:<64 lowercase hex digits> with an https or file URL")
    @Size(max = 2048) private String releaseImage;
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
