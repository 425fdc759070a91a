package dev.kiln.capi.api.infrastructure.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kiln.capi.api.common.HostRules;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KilnServerSpec {
    /**
     * The machine API's host[:port]: an IP ([...] for IPv6) or DNS name. Refused at admission by the same rule the
     * operator applies (KilnServerAddress) before it ever dials. Not immutable: claims key on the server's name.
     */
    @ValidationRule(value = HostRules.HOST_PORT, message = "address must be host or host:port with an IP address "
            + "([...] for IPv6) or an RFC 1123 DNS name and a port from 1 to 65535")
    @Required @Size(max = 260) private String address;
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
