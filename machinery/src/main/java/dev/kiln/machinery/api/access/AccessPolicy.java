package dev.kiln.machinery.api.access;

import dev.kiln.machinery.pki.Role;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Which roles may call which machine API method, method by method as Talos's machined authorizes them; a method not
 * listed here is refused to everyone. node-init enforces it; the test machine simulator follows the same table.
 */
public final class AccessPolicy {

    private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
    private static final Set<Role> ADMIN_OPERATOR = EnumSet.of(Role.ADMIN, Role.OPERATOR);
    private static final Set<Role> ADMIN_OPERATOR_READER = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.READER);
    private static final Set<Role> SNAPSHOT_TAKERS = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.ETCD_BACKUP);
    private static final Set<Role> ETCD_READERS = EnumSet.allOf(Role.class);

    private static final Map<String, Set<Role>> CONFIGURED = Map.ofEntries(
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
            Map.entry("EtcdAlarmDisarm", ADMIN_OPERATOR),
            Map.entry("EtcdDefragment", ADMIN_OPERATOR),
            Map.entry("Shutdown", ADMIN_OPERATOR),
            Map.entry("EtcdSnapshot", SNAPSHOT_TAKERS),
            Map.entry("EtcdMemberList", ETCD_READERS),
            Map.entry("EtcdAlarmList", ETCD_READERS),
            Map.entry("EtcdStatus", ETCD_READERS),
            Map.entry("Version", ADMIN_OPERATOR_READER),
            Map.entry("Hostname", ADMIN_OPERATOR_READER),
            Map.entry("ServiceList", ADMIN_OPERATOR_READER),
            Map.entry("Logs", ADMIN_OPERATOR_READER),
            Map.entry("Events", ADMIN_OPERATOR_READER));

    // Version stays open because provisioning tells a maintenance node from a configured one by it.
    private static final Set<String> OPEN_IN_MAINTENANCE = Set.of("ApplyConfiguration", "Version");

    private AccessPolicy() {
    }

    public static boolean allows(String method, Set<Role> roles) {
        Set<Role> allowed = CONFIGURED.get(method);
        return allowed != null && roles.stream().anyMatch(allowed::contains);
    }

    public static boolean openInMaintenance(String method) {
        return OPEN_IN_MAINTENANCE.contains(method);
    }
}
