package dev.kiln.capi;

import java.util.Arrays;
import java.util.Optional;

/** The three Cluster API provider types Kiln implements; each can run on its own, as clusterctl installs them. */
public enum ProviderType {
    BOOTSTRAP("bootstrap"),
    CONTROL_PLANE("controlplane"),
    INFRASTRUCTURE("infrastructure");

    private final String flagName;

    ProviderType(String flagName) {
        this.flagName = flagName;
    }

    /** The name in the operator's {@code --controllers} list. */
    public String flagName() {
        return flagName;
    }

    public static Optional<ProviderType> byFlagName(String name) {
        return Arrays.stream(values()).filter(p -> p.flagName.equals(name)).findFirst();
    }
}
