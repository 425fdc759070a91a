package dev.kiln.node.etcd;

/** Where this node's etcd member stands. Only WAITING_FOR_CLUSTER may turn into a bootstrap or a join. */
public enum EtcdPhase {
    PREPARING,
    WAITING_FOR_CLUSTER,
    JOINING,
    BOOTSTRAPPING,
    RUNNING,
    LEFT,
    /** The cluster removed this member; etcd stays stopped until a reset. */
    REMOVED,
    /** A member's data directory lost its WAL; etcd stays stopped until a reset. */
    DATA_LOST;

    public boolean holdsMember() {
        return this == JOINING || this == BOOTSTRAPPING || this == RUNNING;
    }
}
