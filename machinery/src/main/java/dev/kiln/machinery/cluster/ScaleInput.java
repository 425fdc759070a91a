package dev.kiln.machinery.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Everything {@link ScalePlanner} looks at.
 *
 * @param desiredReplicas desired control-plane machines; even values are refused by the planner, not here
 * @param maxSurge        0 (delete an outdated machine first) or 1 (create its replacement first)
 * @param machines        machines; workers are ignored
 * @param etcd            the etcd member list
 * @param placement       the failure domains control-plane machines are spread over
 */
public record ScaleInput(int desiredReplicas, int maxSurge, List<MachineView> machines, EtcdView etcd,
        Placement placement) {

    /** Without failure domains. */
    public ScaleInput(int desiredReplicas, int maxSurge, List<MachineView> machines, EtcdView etcd) {
        this(desiredReplicas, maxSurge, machines, etcd, Placement.NONE);
    }

    public ScaleInput {
        if (desiredReplicas < 0) {
            throw new IllegalArgumentException("desired replicas must be >= 0, got " + desiredReplicas);
        }
        if (maxSurge != 0 && maxSurge != 1) {
            throw new IllegalArgumentException("maxSurge must be 0 or 1, got " + maxSurge);
        }
        machines = List.copyOf(machines);
        Objects.requireNonNull(etcd, "etcd");
        Objects.requireNonNull(placement, "placement");
        PlanInput.requireUniqueNames(machines);
    }
}
