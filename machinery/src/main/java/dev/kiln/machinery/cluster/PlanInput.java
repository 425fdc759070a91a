package dev.kiln.machinery.cluster;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything {@link MembershipPlanner} looks at: machines (workers are ignored), the etcd member list, and the
 * machines whose nodes report that their etcd member was removed from the cluster.
 */
public record PlanInput(List<MachineView> machines, EtcdView etcd, Set<String> removedFromEtcd) {

    public PlanInput {
        machines = List.copyOf(machines);
        Objects.requireNonNull(etcd, "etcd");
        removedFromEtcd = Set.copyOf(removedFromEtcd);
        requireUniqueNames(machines);
    }

    public PlanInput(List<MachineView> machines, EtcdView etcd) {
        this(machines, etcd, Set.of());
    }

    static void requireUniqueNames(List<MachineView> machines) {
        Set<String> names = new HashSet<>();
        Set<String> memberNames = new HashSet<>();
        for (MachineView m : machines) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("duplicate machine name " + m.name());
            }
            if (m.isControlPlane() && m.memberName().isPresent() && !memberNames.add(m.memberName().get())) {
                throw new IllegalArgumentException("two control-plane machines claim member " + m.memberName().get());
            }
        }
    }
}
