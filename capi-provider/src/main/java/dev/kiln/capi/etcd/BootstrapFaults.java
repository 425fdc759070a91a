package dev.kiln.capi.etcd;

import dev.kiln.capi.core.v1beta1.Cluster;

/**
 * Called after the bootstrap record names this operator as its holder and before Bootstrap is sent, the one moment
 * where a crash leaves a record but maybe no etcd. The product wires {@link #NONE}; in-process reconciler tests pass
 * one that fails there. End-to-end tests kill the operator process at that moment from outside instead.
 */
@FunctionalInterface
public interface BootstrapFaults {

    BootstrapFaults NONE = (cluster, machine) -> {
    };

    void afterRecordWritten(Cluster cluster, String machine);
}
