package dev.kiln.machinery.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Control-plane machines matched to etcd members by name, with health as the planners must count it. */
final class ControlPlane {

    final List<MachineView> machines;
    final EtcdView etcd;
    private final Map<String, MachineView> machineByMemberName = new HashMap<>();
    private final Map<String, MemberView> memberByName = new HashMap<>();

    private ControlPlane(List<MachineView> allMachines, EtcdView reported) {
        List<MachineView> controlPlane = new ArrayList<>();
        for (MachineView m : allMachines) {
            if (m.isControlPlane()) {
                controlPlane.add(m);
                m.memberName().ifPresent(n -> machineByMemberName.put(n, m));
            }
        }
        controlPlane.sort(MachineView.OLDEST_FIRST);
        this.machines = List.copyOf(controlPlane);
        // A failed machine's member and a member that never started cannot be relied on to vote.
        this.etcd = reported.withUnhealthy(m -> {
            MachineView owner = machineOf(m);
            return !m.started() || (owner != null && owner.failed());
        });
        for (MemberView m : etcd.members()) {
            if (m.started()) {
                memberByName.put(m.name(), m);
            }
        }
    }

    static ControlPlane of(List<MachineView> machines, EtcdView etcd) {
        return new ControlPlane(machines, etcd);
    }

    /** The control-plane machine running this member, or null. */
    MachineView machineOf(MemberView member) {
        return member.started() ? machineByMemberName.get(member.name()) : null;
    }

    /** The member this machine runs, or null. */
    MemberView memberOf(MachineView machine) {
        return machine.memberName().isPresent() ? memberByName.get(machine.memberName().get()) : null;
    }
}
