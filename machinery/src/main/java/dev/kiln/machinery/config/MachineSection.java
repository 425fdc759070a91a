package dev.kiln.machinery.config;

import java.util.List;

/**
 * The {@code machine} section. {@code ca}, {@code install} and {@code network} are {@code null} when absent;
 * {@code certSANs} is empty when absent.
 */
public record MachineSection(
        MachineType type,
        String token,
        PemPair ca,
        List<String> certSANs,
        InstallSection install,
        NetworkSection network) {

    public MachineSection {
        certSANs = certSANs == null ? List.of() : List.copyOf(certSANs);
    }

    public boolean isControlPlane() {
        return type == MachineType.CONTROLPLANE;
    }
}
