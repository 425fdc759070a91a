package dev.kiln.capi.core.v1beta1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Namespaced;
import java.util.Map;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

@Group("cluster.x-k8s.io")
@Version("v1beta1")
public class Cluster extends CustomResource<Cluster.Spec, Cluster.Status> implements Namespaced {

    public static final String PAUSED_ANNOTATION = "cluster.x-k8s.io/paused";

    /** Paused by spec or by annotation: no Kiln reconciler changes anything that belongs to it. */
    @JsonIgnore // derived, not a field: serialized it would be written to the API and fail to read back
    public boolean isPaused() {
        boolean annotated = getMetadata().getAnnotations() != null
                && getMetadata().getAnnotations().containsKey(PAUSED_ANNOTATION);
        return annotated || (getSpec() != null && Boolean.TRUE.equals(getSpec().getPaused()));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec extends Extensible {
        private Boolean paused;
        private ApiEndpoint controlPlaneEndpoint;
        private ObjectReference controlPlaneRef;
        private ObjectReference infrastructureRef;

        public Boolean getPaused() { return paused; }
        public void setPaused(Boolean paused) { this.paused = paused; }
        public ApiEndpoint getControlPlaneEndpoint() { return controlPlaneEndpoint; }
        public void setControlPlaneEndpoint(ApiEndpoint controlPlaneEndpoint) { this.controlPlaneEndpoint = controlPlaneEndpoint; }
        public ObjectReference getControlPlaneRef() { return controlPlaneRef; }
        public void setControlPlaneRef(ObjectReference controlPlaneRef) { this.controlPlaneRef = controlPlaneRef; }
        public ObjectReference getInfrastructureRef() { return infrastructureRef; }
        public void setInfrastructureRef(ObjectReference infrastructureRef) { this.infrastructureRef = infrastructureRef; }
    }

    /** One entry of the v1beta1 Cluster's status.failureDomains map. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class FailureDomainSpec extends Extensible {
        private Boolean controlPlane;
        private Map<String, String> attributes;

        public Boolean getControlPlane() { return controlPlane; }
        public void setControlPlane(Boolean controlPlane) { this.controlPlane = controlPlane; }
        public Map<String, String> getAttributes() { return attributes; }
        public void setAttributes(Map<String, String> attributes) { this.attributes = attributes; }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status extends Extensible {
        private String phase;
        private Boolean infrastructureReady;
        private Boolean controlPlaneReady;
        /** v1beta1 shape: failure domain name to its spec. */
        private Map<String, FailureDomainSpec> failureDomains;

        public Map<String, FailureDomainSpec> getFailureDomains() { return failureDomains; }
        public void setFailureDomains(Map<String, FailureDomainSpec> failureDomains) { this.failureDomains = failureDomains; }
        public String getPhase() { return phase; }
        public void setPhase(String phase) { this.phase = phase; }
        public Boolean getInfrastructureReady() { return infrastructureReady; }
        public void setInfrastructureReady(Boolean infrastructureReady) { this.infrastructureReady = infrastructureReady; }
        public Boolean getControlPlaneReady() { return controlPlaneReady; }
        public void setControlPlaneReady(Boolean controlPlaneReady) { this.controlPlaneReady = controlPlaneReady; }
    }
}
