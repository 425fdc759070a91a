package dev.kiln.capi.core.v1beta1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MachineAddress extends Extensible {
    private String type;
    private String address;

    public MachineAddress() {
    }

    public MachineAddress(String type, String address) {
        this.type = type;
        this.address = address;
    }

    public String getType() { return type; }
    public void setType(String type) { this.type = type; }
    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
}
