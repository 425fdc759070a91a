package dev.kiln.capi.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A typed reference to another object, as Cluster API's infrastructureRef and friends. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectRef {
    @Required private String apiVersion;
    @Required private String kind;
    @Required private String name;
    private String namespace;

    public ObjectRef() {}

    public ObjectRef(String apiVersion, String kind, String name, String namespace) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.name = name;
        this.namespace = namespace;
    }

    public String getApiVersion() { return apiVersion; }
    public void setApiVersion(String apiVersion) { this.apiVersion = apiVersion; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
}
