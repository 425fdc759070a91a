package dev.kiln.node.etcd;

/** Where this node's etcd member stands. Only WAITING_FOR_CLUSTER may turn into a bootstrap or a join. */
public enum EtcdPhase {
    PREPARING,
    WAITING_FOR_CLUSTER,
    JOINING,
    BOOTSTRAPPING,
    RUNNING,
    LEFT;

    public boolean holdsMember() {
        return this == JOINING || this == BOOTSTRAPPING || this == RUNNING;
    }
}
