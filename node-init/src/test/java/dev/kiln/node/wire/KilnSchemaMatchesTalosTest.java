package dev.kiln.node.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.machinery.api.common.Common;
import dev.kiln.machinery.api.machine.Machine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kiln's proto declares every message it shares with Talos as Talos does, apart from its 10001+ extensions. */
class KilnSchemaMatchesTalosTest {

    @Test
    void everySharedMachineMessageHasTalosFieldsAndEnumValues() {
        assertEquals(List.of(), SchemaDifferences.between(Machine.getDescriptor(),
                dev.kiln.node.wire.talos.machine.Machine.getDescriptor()));
    }

    @Test
    void everySharedCommonMessageHasTalosFieldsAndEnumValues() {
        assertEquals(List.of(), SchemaDifferences.between(Common.getDescriptor(),
                dev.kiln.node.wire.talos.common.Common.getDescriptor()));
    }
}
