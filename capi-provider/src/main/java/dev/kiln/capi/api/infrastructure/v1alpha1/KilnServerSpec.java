package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnServerSpec {
    /**
     * The machine API's host[:port]: an IP ([...] for IPv6) or DNS name. The schema refuses the grossly malformed;
     * the operator checks the rest (KilnServerAddress) before it ever dials.
     */
    @Required @Pattern("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$") private String address;
    /** SHA-256 of the certificate the server presents in maintenance mode, pinned before any config is sent. */
    @Pattern("^[0-9a-f]{64}$") private String maintenanceFingerprint;

    public KilnServerSpec() {}

    public KilnServerSpec(String address, String maintenanceFingerprint) {
        this.address = address;
        this.maintenanceFingerprint = maintenanceFingerprint;
    }

    public String getAddress() { return address; }
    public void setAddress(String address) { this.address = address; }
    public String getMaintenanceFingerprint() { return maintenanceFingerprint; }
    public void setMaintenanceFingerprint(String maintenanceFingerprint) { this.maintenanceFingerprint = maintenanceFingerprint; }
}
