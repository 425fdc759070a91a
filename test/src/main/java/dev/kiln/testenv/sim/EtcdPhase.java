package dev.kiln.testenv.sim;

/** Where a simulated machine's etcd member stands, as node-init names the same states. */
enum EtcdPhase {
    NONE,
    WAITING_FOR_CLUSTER,
    JOINING,
    RUNNING,
    LEFT,
    REMOVED;

    boolean holdsMember() {
        return this == JOINING || this == RUNNING;
    }
}
