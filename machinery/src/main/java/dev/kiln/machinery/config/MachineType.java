package dev.kiln.machinery.config;

import java.util.Optional;

/** The role of a machine in its cluster. */
public enum MachineType {
    CONTROLPLANE("controlplane"),
    WORKER("worker");

    private final String yamlName;

    MachineType(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The value used for {@code machine.type} in YAML. */
    public String yamlName() {
        return yamlName;
    }

    /** The type whose YAML value is exactly {@code value}, or empty. */
    public static Optional<MachineType> fromYamlName(String value) {
        for (MachineType type : values()) {
            if (type.yamlName.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
