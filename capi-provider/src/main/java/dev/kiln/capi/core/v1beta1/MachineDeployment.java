package dev.kiln.capi.core.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

@Group("cluster.x-k8s.io")
@Version("v1beta1")
public class MachineDeployment extends CustomResource<MachineDeployment.Spec, MachineDeployment.Status>
        implements Namespaced {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec extends Extensible {
        private String clusterName;
        private Integer replicas;
        private LabelSelector selector;
        private Template template;

        public String getClusterName() { return clusterName; }
        public void setClusterName(String clusterName) { this.clusterName = clusterName; }
        public Integer getReplicas() { return replicas; }
        public void setReplicas(Integer replicas) { this.replicas = replicas; }
        public LabelSelector getSelector() { return selector; }
        public void setSelector(LabelSelector selector) { this.selector = selector; }
        public Template getTemplate() { return template; }
        public void setTemplate(Template template) { this.template = template; }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Template extends Extensible {
        private ObjectMeta metadata;
        private MachineSpec spec;

        public ObjectMeta getMetadata() { return metadata; }
        public void setMetadata(ObjectMeta metadata) { this.metadata = metadata; }
        public MachineSpec getSpec() { return spec; }
        public void setSpec(MachineSpec spec) { this.spec = spec; }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status extends Extensible {
        private Integer replicas;
        private Integer readyReplicas;

        public Integer getReplicas() { return replicas; }
        public void setReplicas(Integer replicas) { this.replicas = replicas; }
        public Integer getReadyReplicas() { return readyReplicas; }
        public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    }
}
