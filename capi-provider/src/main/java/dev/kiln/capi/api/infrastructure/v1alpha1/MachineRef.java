package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The KilnMachine holding a server; the uid tells a claim from a later machine of the same name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineRef {
    private String namespace;
    private String name;
    private String uid;

    public MachineRef() {}

    public MachineRef(String namespace, String name, String uid) {
        this.namespace = namespace;
        this.name = name;
        this.uid = uid;
    }

    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getUid() { return uid; }
    public void setUid(String uid) { this.uid = uid; }
}
