package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.capi.api.controlplane.v1alpha1.MachineDeletion;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplate;
import dev.kiln.capi.api.controlplane.v1alpha1.MachineTemplateSpec;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeletionTimeoutsTest {

    @Test
    void goDurationsReadAsSecondsPartByPart() {
        assertEquals(0, new BigDecimal(5400).compareTo(DeletionTimeouts.seconds("1h30m").orElseThrow()));
        assertEquals(0, new BigDecimal("1.5").compareTo(DeletionTimeouts.seconds("1s500ms").orElseThrow()));
        assertEquals(0, BigDecimal.ZERO.compareTo(DeletionTimeouts.seconds("0").orElseThrow()));
    }

    @Test
    void textThatIsNotAGoDurationDoesNotRead() {
        assertEquals(Optional.empty(), DeletionTimeouts.seconds("5"));
        assertEquals(Optional.empty(), DeletionTimeouts.seconds(""));
        assertEquals(Optional.empty(), DeletionTimeouts.seconds("5m later"));
        assertEquals(Optional.empty(), DeletionTimeouts.seconds("m5"));
    }

    @Test
    void theV1beta2SecondsWinOverAnEqualDeprecatedDuration() {
        MachineTemplate template = new MachineTemplate();
        template.setNodeDrainTimeout("5m");
        MachineDeletion deletion = new MachineDeletion();
        deletion.setNodeDrainTimeoutSeconds(300);
        template.setSpec(new MachineTemplateSpec());
        template.getSpec().setDeletion(deletion);

        assertEquals(new DeletionTimeouts("300s", null, null), DeletionTimeouts.of(template));
    }

    @Test
    void noDeletionSettingsLeaveTheMachineDefaults() {
        assertEquals(new DeletionTimeouts(null, null, null), DeletionTimeouts.of(new MachineTemplate()));
    }
}
