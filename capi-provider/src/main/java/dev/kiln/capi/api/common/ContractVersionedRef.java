package dev.kiln.capi.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/**
 * A reference by API group, kind and name, as Cluster API v1beta2's ContractVersionedObjectReference: the version is
 * not written down but found when the reference is followed, so a provider upgrade does not leave references stale.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContractVersionedRef {
    @Required private String apiGroup;
    @Required private String kind;
    @Required private String name;

    public ContractVersionedRef() {}

    public ContractVersionedRef(String apiGroup, String kind, String name) {
        this.apiGroup = apiGroup;
        this.kind = kind;
        this.name = name;
    }

    public String getApiGroup() { return apiGroup; }
    public void setApiGroup(String apiGroup) { this.apiGroup = apiGroup; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
}
