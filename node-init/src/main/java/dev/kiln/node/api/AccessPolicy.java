package dev.kiln.node.api;

import dev.kiln.machinery.pki.Role;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** Which roles may call which machine API method; a method not listed here is refused to everyone. */
public final class AccessPolicy {

    private static final Set<Role> EVERYONE = EnumSet.allOf(Role.class);
    private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);
    private static final Set<Role> ADMIN_OPERATOR = EnumSet.of(Role.ADMIN, Role.OPERATOR);
    private static final Set<Role> SNAPSHOT_TAKERS = EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.ETCD_BACKUP);

    private static final Map<String, Set<Role>> CONFIGURED = Map.ofEntries(
            Map.entry("ApplyConfiguration", ADMIN),
            Map.entry("Bootstrap", ADMIN),
            Map.entry("Reset", ADMIN),
            Map.entry("EtcdLeaveCluster", ADMIN),
            Map.entry("EtcdRemoveMemberByID", ADMIN),
            Map.entry("EtcdForfeitLeadership", ADMIN),
            Map.entry("EtcdRecover", ADMIN),
            Map.entry("EtcdSnapshot", SNAPSHOT_TAKERS),
            Map.entry("Reboot", ADMIN_OPERATOR),
            Map.entry("Shutdown", ADMIN_OPERATOR),
            Map.entry("Version", EVERYONE),
            Map.entry("Hostname", EVERYONE),
            Map.entry("EtcdMemberList", EVERYONE),
            Map.entry("EtcdStatus", EVERYONE),
            Map.entry("ServiceList", EVERYONE),
            Map.entry("Logs", EVERYONE),
            Map.entry("Events", EVERYONE));

    private static final Set<String> OPEN_IN_MAINTENANCE = Set.of(
            "ApplyConfiguration", "Version", "Hostname", "ServiceList", "Logs", "Events");

    private AccessPolicy() {
    }

    public static boolean allows(String method, Set<Role> roles) {
        Set<Role> allowed = CONFIGURED.get(method);
        return allowed != null && roles.stream().anyMatch(allowed::contains);
    }

    public static boolean openInMaintenance(String method) {
        return OPEN_IN_MAINTENANCE.contains(method);
    }

    public static Set<String> methodsAllowedOnlyTo(Role role) {
        return CONFIGURED.entrySet().stream()
                .filter(entry -> entry.getValue().equals(EnumSet.of(role)))
                .map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
