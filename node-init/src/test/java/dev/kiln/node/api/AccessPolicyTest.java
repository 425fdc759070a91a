package dev.kiln.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.api.access.AccessPolicy;
import dev.kiln.machinery.api.machine.MachineServiceGrpc;
import dev.kiln.machinery.pki.Role;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The role table, method by method, as Talos's machined authorizes the same methods. */
class AccessPolicyTest {

    private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
    private static final Set<Role> ADMIN_OPERATOR = EnumSet.of(Role.ADMIN, Role.OPERATOR);
    private static final Set<Role> ADMIN_OPERATOR_READER = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.READER);

    /** Who may call what on a configured node: Talos's table for the methods Kiln serves. */
    static final Map<String, Set<Role>> TALOS_TABLE = Map.ofEntries(
            Map.entry("ApplyConfiguration", ADMIN),
            Map.entry("Bootstrap", ADMIN),
            Map.entry("Reset", ADMIN),
            Map.entry("Upgrade", ADMIN),
            Map.entry("Rollback", ADMIN),
            Map.entry("EtcdLeaveCluster", ADMIN),
            Map.entry("EtcdRemoveMemberByID", ADMIN),
            Map.entry("EtcdForfeitLeadership", ADMIN),
            Map.entry("EtcdRecover", ADMIN),
            Map.entry("Reboot", ADMIN_OPERATOR),
            Map.entry("Shutdown", ADMIN_OPERATOR),
            Map.entry("EtcdAlarmDisarm", ADMIN_OPERATOR),
            Map.entry("EtcdDefragment", ADMIN_OPERATOR),
            Map.entry("EtcdAlarmList", EnumSet.allOf(Role.class)),
            Map.entry("EtcdSnapshot", EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.ETCD_BACKUP)),
            Map.entry("EtcdMemberList", EnumSet.allOf(Role.class)),
            Map.entry("EtcdStatus", EnumSet.allOf(Role.class)),
            Map.entry("Version", ADMIN_OPERATOR_READER),
            Map.entry("Hostname", ADMIN_OPERATOR_READER),
            Map.entry("ServiceList", ADMIN_OPERATOR_READER),
            Map.entry("Logs", ADMIN_OPERATOR_READER),
            Map.entry("Events", ADMIN_OPERATOR_READER));

    /** What a maintenance node serves to a caller without a certificate, whatever roles it might claim. */
    static final Set<String> OPEN_IN_MAINTENANCE = Set.of("ApplyConfiguration", "Version");

    private static Set<String> serviceMethods() {
        return MachineServiceGrpc.getServiceDescriptor().getMethods().stream()
                .map(MethodDescriptor::getBareMethodName).collect(Collectors.toSet());
    }

    static Stream<Arguments> everyMethodWithEveryRole() {
        List<Arguments> rows = new ArrayList<>();
        for (String method : serviceMethods().stream().sorted().toList()) {
            for (Role role : Role.values()) {
                rows.add(Arguments.of(method, role));
            }
        }
        return rows.stream();
    }

    @Test
    void theTableNamesEveryMethodOfTheServiceSoANewMethodCannotBeMissed() {
        assertEquals(serviceMethods(), TALOS_TABLE.keySet());
    }

    @ParameterizedTest(name = "configured: {1} calling {0}")
    @MethodSource("everyMethodWithEveryRole")
    void aConfiguredNodeAllowsEachMethodToExactlyTheRolesTalosAllows(String method, Role role) {
        assertEquals(TALOS_TABLE.get(method).contains(role), AccessPolicy.allows(method, Set.of(role)),
                method + " for " + role.organization());
    }

    @ParameterizedTest(name = "maintenance: {1} calling {0}")
    @MethodSource("everyMethodWithEveryRole")
    void aMaintenanceNodeServesOnlyApplyConfigurationAndVersionWhateverTheRole(String method, Role role) {
        // No client certificate is asked in maintenance, so a role cannot open anything there.
        assertEquals(OPEN_IN_MAINTENANCE.contains(method), AccessPolicy.openInMaintenance(method),
                method + " for " + role.organization());
    }

    @Test
    void anEtcdBackupCertificateReachesOnlyTheEtcdSnapshotStatusMemberListAndAlarmList() {
        Set<String> reachable = serviceMethods().stream()
                .filter(method -> AccessPolicy.allows(method, Set.of(Role.ETCD_BACKUP)))
                .collect(Collectors.toSet());

        assertEquals(Set.of("EtcdSnapshot", "EtcdStatus", "EtcdMemberList", "EtcdAlarmList"), reachable);
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
        assertFalse(AccessPolicy.openInMaintenance("FormatDisk"));
    }

    @Test
    void aCallerWithSeveralRolesGetsTheUnionOfTheirRights() {
        Set<Role> readerAndBackup = EnumSet.of(Role.READER, Role.ETCD_BACKUP);

        assertTrue(AccessPolicy.allows("EtcdSnapshot", readerAndBackup));
        assertTrue(AccessPolicy.allows("Version", readerAndBackup));
        assertFalse(AccessPolicy.allows("Reboot", readerAndBackup));
    }
}
