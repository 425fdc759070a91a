package dev.kiln.capi.core.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineSpec extends Extensible {
    private String clusterName;
    private Bootstrap bootstrap;
    private ObjectReference infrastructureRef;
    private String version;
    private String providerID;
    private String failureDomain;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Bootstrap extends Extensible {
        private ObjectReference configRef;
        private String dataSecretName;

        public ObjectReference getConfigRef() { return configRef; }
        public void setConfigRef(ObjectReference configRef) { this.configRef = configRef; }
        public String getDataSecretName() { return dataSecretName; }
        public void setDataSecretName(String dataSecretName) { this.dataSecretName = dataSecretName; }
    }

    public String getClusterName() { return clusterName; }
    public void setClusterName(String clusterName) { this.clusterName = clusterName; }
    public Bootstrap getBootstrap() { return bootstrap; }
    public void setBootstrap(Bootstrap bootstrap) { this.bootstrap = bootstrap; }
    public ObjectReference getInfrastructureRef() { return infrastructureRef; }
    public void setInfrastructureRef(ObjectReference infrastructureRef) { this.infrastructureRef = infrastructureRef; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getProviderID() { return providerID; }
    public void setProviderID(String providerID) { this.providerID = providerID; }
    public String getFailureDomain() { return failureDomain; }
    public void setFailureDomain(String failureDomain) { this.failureDomain = failureDomain; }
}
