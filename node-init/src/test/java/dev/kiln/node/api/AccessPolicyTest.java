package dev.kiln.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.pki.Role;
import io.grpc.MethodDescriptor;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessPolicyTest {

    private static final Set<String> ADMIN_ONLY = Set.of("Bootstrap", "Reset", "EtcdLeaveCluster",
            "EtcdRemoveMemberByID", "EtcdForfeitLeadership", "EtcdRecover", "ApplyConfiguration");
    private static final Set<String> READS = Set.of("Version", "Hostname", "ServiceList", "Logs", "Events",
            "EtcdMemberList", "EtcdStatus");

    private static Set<String> serviceMethods() {
        return MachineServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(MethodDescriptor::getBareMethodName).collect(Collectors.toSet());
    }

    private static Set<Role> rolesAllowed(String method) {
        Set<Role> allowed = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (AccessPolicy.allows(method, Set.of(role))) {
                allowed.add(role);
            }
        }
        return allowed;
    }

    @Test
    void theAdminOnlyMethodsAreExactlyTheSevenThatChangeClusterStateOrConfig() {
        assertEquals(ADMIN_ONLY, AccessPolicy.methodsAllowedOnlyTo(Role.ADMIN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bootstrap", "Reset", "EtcdLeaveCluster", "EtcdRemoveMemberByID", "EtcdForfeitLeadership",
            "EtcdRecover", "ApplyConfiguration"})
    void adminOnlyMethodsAreRefusedToEveryOtherRole(String method) {
        assertEquals(EnumSet.of(Role.ADMIN), rolesAllowed(method));
    }

    @Test
    void snapshotsMayBeTakenByAdminOperatorAndEtcdBackup() {
        assertEquals(EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.ETCD_BACKUP), rolesAllowed("EtcdSnapshot"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Reboot", "Shutdown"})
    void rebootAndShutdownMayBeCalledByAdminAndOperator(String method) {
        assertEquals(EnumSet.of(Role.ADMIN, Role.OPERATOR), rolesAllowed(method));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Version", "Hostname", "ServiceList", "Logs", "Events", "EtcdMemberList", "EtcdStatus"})
    void readsMayBeCalledByEveryRole(String method) {
        assertEquals(EnumSet.allOf(Role.class), rolesAllowed(method));
    }

    @Test
    void everyServiceMethodHasARuleSoNoneIsRefusedByOmission() {
        for (String method : serviceMethods()) {
            assertTrue(AccessPolicy.allows(method, Set.of(Role.ADMIN)), method + " is refused even to admin");
        }
    }

    @Test
    void theRulesCoverEveryServiceMethodAndNothingElse() {
        Set<String> classified = new java.util.HashSet<>(ADMIN_ONLY);
        classified.addAll(READS);
        classified.addAll(Set.of("EtcdSnapshot", "Reboot", "Shutdown"));

        assertEquals(serviceMethods(), classified);
    }

    @Test
    void aCallerWithNoRoleMayCallNothing() {
        for (String method : serviceMethods()) {
            assertFalse(AccessPolicy.allows(method, Set.of()), method);
        }
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void anUnknownMethodIsRefusedToEveryRole(Role role) {
        assertFalse(AccessPolicy.allows("FormatDisk", Set.of(role)));
    }

    @Test
    void aCallerWithSeveralRolesGetsTheUnionOfTheirRights() {
        Set<Role> readerAndBackup = EnumSet.of(Role.READER, Role.ETCD_BACKUP);

        assertTrue(AccessPolicy.allows("EtcdSnapshot", readerAndBackup));
        assertTrue(AccessPolicy.allows("Version", readerAndBackup));
        assertFalse(AccessPolicy.allows("Reboot", readerAndBackup));
    }

    @Test
    void maintenanceModeOpensApplyConfigurationAndTheNodeReadsOnly() {
        Set<String> open = serviceMethods().stream().filter(AccessPolicy::openInMaintenance)
                .collect(Collectors.toSet());

        assertEquals(Set.of("ApplyConfiguration", "Version", "Hostname", "ServiceList", "Logs", "Events"), open);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bootstrap", "Reset", "EtcdLeaveCluster", "EtcdRemoveMemberByID", "EtcdForfeitLeadership",
            "EtcdRecover", "EtcdSnapshot", "Reboot", "Shutdown"})
    void maintenanceModeKeepsEveryOtherChangeClosed(String method) {
        assertFalse(AccessPolicy.openInMaintenance(method));
    }
}
