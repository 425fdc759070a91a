package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineAddress {
    @Required private MachineAddressType type;
    @Required private String address;

    public MachineAddress() {}

    public MachineAddress(MachineAddressType type, String address) {
        this.type = type;
        this.address = address;
    }

    public MachineAddressType getType() { return type; }
    public void setType(MachineAddressType type) { this.type = type; }
    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
}
