package dev.kiln.machinery.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MachineTypeTest {

    @Test
    void findsTypeByExactYamlName() {
        assertEquals(Optional.of(MachineType.CONTROLPLANE), MachineType.fromYamlName("controlplane"));
        assertEquals(Optional.of(MachineType.WORKER), MachineType.fromYamlName("worker"));
    }

    @Test
    void findsNoTypeForOtherSpelling() {
        assertEquals(Optional.empty(), MachineType.fromYamlName("Worker"));
        assertEquals(Optional.empty(), MachineType.fromYamlName("init"));
    }
}
