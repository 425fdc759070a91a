package dev.kiln.machinery.cluster;

/** What a machine is for; only control-plane machines run etcd. */
public enum MachineRole {
    CONTROL_PLANE,
    WORKER
}
