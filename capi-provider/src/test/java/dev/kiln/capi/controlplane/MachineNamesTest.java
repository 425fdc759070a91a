package dev.kiln.capi.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MachineNamesTest {

    private static final String UID = "0c7d2f1e-5b1a-4f3e-9d7c-2a8b6e4f1a90";

    @Test
    void theSameStateReadGivesTheSameName() {
        assertEquals(MachineNames.next("cp", UID, "41", List.of("cp-aaaaa", "cp-bbbbb")),
                MachineNames.next("cp", UID, "41", List.of("cp-bbbbb", "cp-aaaaa")));
        assertEquals(MachineNames.next("cp", UID, "41", List.of()), MachineNames.next("cp", UID, "41", List.of()));
    }

    @Test
    void aViewThatHoldsTheNewMachineGivesAnotherName() {
        String first = MachineNames.next("cp", UID, "41", List.of());
        String second = MachineNames.next("cp", UID, "41", List.of(first));
        assertNotEquals(first, second);
        assertNotEquals(second, MachineNames.next("cp", UID, "41", List.of(first, second)));
    }

    @Test
    void aMachineDeletedAfterALaterReadIsNotNamedAgain() {
        String created = MachineNames.next("cp", UID, "41", List.of("cp-aaaaa", "cp-bbbbb"));
        // created, then deleted again: the same machines are left, but the control plane was written meanwhile
        assertNotEquals(created, MachineNames.next("cp", UID, "57", List.of("cp-aaaaa", "cp-bbbbb")));
    }

    @Test
    void anotherControlPlaneOfTheSameNameGetsOtherNames() {
        assertNotEquals(MachineNames.next("cp", UID, "41", List.of()),
                MachineNames.next("cp", "5e1f7a3b-2c4d-4e6f-8a9b-0c1d2e3f4a5b", "41", List.of()));
    }

    @Test
    void namesAreTheControlPlaneNameAndFiveLowercaseLettersOrDigits() {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = MachineNames.next("demo", UID, "41", seen);
            assertTrue(name.matches("demo-[a-z0-9]{5}"), name);
            assertTrue(!seen.contains(name), name + " repeats an existing machine");
            seen.add(name);
        }
    }
}
