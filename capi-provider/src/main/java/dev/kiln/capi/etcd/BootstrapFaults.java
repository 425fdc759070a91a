package dev.kiln.capi.etcd;

import dev.kiln.capi.core.v1beta1.Cluster;

/**
 * A fault-injection point for end-to-end tests of I1: called after the bootstrap record names this operator as its
 * holder and before Bootstrap is sent, the one moment where a crash leaves a record but maybe no etcd. The product
 * default does nothing; {@link HaltAfterBootstrapRecord} is the switch an e2e test flips from outside the process.
 */
@FunctionalInterface
public interface BootstrapFaults {

    BootstrapFaults NONE = (cluster, machine) -> {
    };

    void afterRecordWritten(Cluster cluster, String machine);
}
