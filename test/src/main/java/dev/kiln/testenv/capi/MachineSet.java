package dev.kiln.testenv.capi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.core.v1beta1.Extensible;
import dev.kiln.capi.core.v1beta1.MachineDeployment;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** The parts of Cluster API's MachineSet the stand-in uses. */
@Group("cluster.x-k8s.io")
@Version("v1beta1")
public class MachineSet extends CustomResource<MachineSet.Spec, MachineSet.Status> implements Namespaced {

    public static final String NAME_LABEL = "cluster.x-k8s.io/set-name";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Spec extends Extensible {
        private String clusterName;
        private Integer replicas;
        private LabelSelector selector;
        private MachineDeployment.Template template;
        private String deletePolicy;

        public String getClusterName() { return clusterName; }
        public void setClusterName(String clusterName) { this.clusterName = clusterName; }
        public Integer getReplicas() { return replicas; }
        public void setReplicas(Integer replicas) { this.replicas = replicas; }
        public LabelSelector getSelector() { return selector; }
        public void setSelector(LabelSelector selector) { this.selector = selector; }
        public MachineDeployment.Template getTemplate() { return template; }
        public void setTemplate(MachineDeployment.Template template) { this.template = template; }
        public String getDeletePolicy() { return deletePolicy; }
        public void setDeletePolicy(String deletePolicy) { this.deletePolicy = deletePolicy; }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Status extends Extensible {
        private Integer replicas;
        private Integer readyReplicas;
        private Integer availableReplicas;

        public Integer getReplicas() { return replicas; }
        public Integer getAvailableReplicas() { return availableReplicas; }
        public void setAvailableReplicas(Integer availableReplicas) { this.availableReplicas = availableReplicas; }
        public void setReplicas(Integer replicas) { this.replicas = replicas; }
        public Integer getReadyReplicas() { return readyReplicas; }
        public void setReadyReplicas(Integer readyReplicas) { this.readyReplicas = readyReplicas; }
    }
}
