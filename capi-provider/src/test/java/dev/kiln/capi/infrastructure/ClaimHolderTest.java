package dev.kiln.capi.infrastructure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ClaimHolderTest {

    private static final String SERVER = "s1";
    private static final ClaimHolder CLAIM = new ClaimHolder("ns", "cp-0", "demo", "uid-on-a");

    private static ClaimHolder.Machine machine(String name, String cluster, String uid, String providerIdServer) {
        return new ClaimHolder.Machine("ns", name, cluster, uid, providerIdServer);
    }

    @Test
    void theMachineThatMadeTheClaimHoldsIt() {
        assertTrue(CLAIM.heldBy(machine("cp-0", "demo", "uid-on-a", null), SERVER));
    }

    @Test
    void aMovedMachineWhoseProviderIdNamesTheServerHoldsItUnderItsNewUid() {
        assertTrue(CLAIM.heldBy(machine("cp-0", "demo", "uid-on-b", SERVER), SERVER));
    }

    @Test
    void aNewMachineReusingTheNameWithoutThatProviderIdDoesNotInheritTheClaim() {
        assertFalse(CLAIM.heldBy(machine("cp-0", "demo", "uid-new", null), SERVER));
        assertFalse(CLAIM.heldBy(machine("cp-0", "demo", "uid-new", "s2"), SERVER));
    }

    @Test
    void aMachineOfAnotherNameOrClusterNeverHoldsIt() {
        assertFalse(CLAIM.heldBy(machine("cp-1", "demo", "uid-on-b", SERVER), SERVER));
        assertFalse(CLAIM.heldBy(machine("cp-0", "other", "uid-on-b", SERVER), SERVER));
        assertFalse(CLAIM.heldBy(new ClaimHolder.Machine("other-ns", "cp-0", "demo", "uid-on-b", SERVER), SERVER));
    }

    @Test
    void aClaimWrittenBeforeTheClusterKeyIsHonouredByUidAndAfterAMove() {
        ClaimHolder legacy = ClaimHolder.of(Map.of("namespace", "ns", "name", "cp-0", "uid", "uid-on-a"));

        assertTrue(legacy.heldBy(machine("cp-0", "demo", "uid-on-a", null), SERVER));
        assertTrue(legacy.heldBy(machine("cp-0", "demo", "uid-on-b", SERVER), SERVER));
        assertFalse(legacy.heldBy(machine("cp-0", "demo", "uid-new", null), SERVER));
    }

    @Test
    void aClaimWithoutDataIsHeldByNobody() {
        assertFalse(ClaimHolder.of(null).heldBy(machine("cp-0", "demo", "uid-on-a", SERVER), SERVER));
    }

    @Test
    void dataRoundTrips() {
        assertEquals(CLAIM, ClaimHolder.of(CLAIM.data()));
    }
}
