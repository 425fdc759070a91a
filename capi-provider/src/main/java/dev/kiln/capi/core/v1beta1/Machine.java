package dev.kiln.capi.core.v1beta1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;

@Group("cluster.x-k8s.io")
@Version("v1beta1")
public class Machine extends CustomResource<MachineSpec, Machine.Status> implements Namespaced {

    public static final String CLUSTER_NAME_LABEL = "cluster.x-k8s.io/cluster-name";
    public static final String CONTROL_PLANE_LABEL = "cluster.x-k8s.io/control-plane";
    public static final String DELETE_MACHINE_ANNOTATION = "cluster.x-k8s.io/delete-machine";
    /** Cluster API waits for every annotation with this prefix to go before it releases the infrastructure. */
    public static final String PRE_TERMINATE_HOOK_PREFIX = "pre-terminate.delete.hook.machine.cluster.x-k8s.io/";

    @JsonIgnore // derived, not a field: serialized it would be written to the API and fail to read back
    public boolean isControlPlane() {
        return getMetadata().getLabels() != null && getMetadata().getLabels().containsKey(CONTROL_PLANE_LABEL);
    }

    @JsonIgnore // derived, not a field: serialized it would be written to the API and fail to read back
    public boolean isDeleting() {
        return getMetadata().getDeletionTimestamp() != null;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status extends Extensible {
        private String phase;
        private List<MachineAddress> addresses;
        private Boolean bootstrapReady;
        private Boolean infrastructureReady;
        private String failureReason;
        private String failureMessage;

        public String getPhase() { return phase; }
        public void setPhase(String phase) { this.phase = phase; }
        public List<MachineAddress> getAddresses() { return addresses; }
        public void setAddresses(List<MachineAddress> addresses) { this.addresses = addresses; }
        public Boolean getBootstrapReady() { return bootstrapReady; }
        public void setBootstrapReady(Boolean bootstrapReady) { this.bootstrapReady = bootstrapReady; }
        public Boolean getInfrastructureReady() { return infrastructureReady; }
        public void setInfrastructureReady(Boolean infrastructureReady) { this.infrastructureReady = infrastructureReady; }
        public String getFailureReason() { return failureReason; }
        public void setFailureReason(String failureReason) { this.failureReason = failureReason; }
        public String getFailureMessage() { return failureMessage; }
        public void setFailureMessage(String failureMessage) { this.failureMessage = failureMessage; }
    }
}
