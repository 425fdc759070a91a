package dev.kiln.capi.api.controlplane.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** The node-init version one control-plane machine's node reports running. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineVersion {
    @Required private String machine;
    @Required private String version;
    /** The node runs an upgraded slot that is not confirmed yet. */
    private Boolean trial;

    public MachineVersion() {}

    public MachineVersion(String machine, String version, Boolean trial) {
        this.machine = machine;
        this.version = version;
        this.trial = trial;
    }

    public String getMachine() { return machine; }
    public void setMachine(String machine) { this.machine = machine; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public Boolean getTrial() { return trial; }
    public void setTrial(Boolean trial) { this.trial = trial; }
}
