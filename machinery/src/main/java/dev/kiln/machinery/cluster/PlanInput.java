package dev.kiln.machinery.cluster;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Everything {@link MembershipPlanner} looks at: machines (workers are ignored) and the etcd member list. */
public record PlanInput(List<MachineView> machines, EtcdView etcd) {

    public PlanInput {
        machines = List.copyOf(machines);
        Objects.requireNonNull(etcd, "etcd");
        requireUniqueNames(machines);
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
