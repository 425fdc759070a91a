package dev.kiln.machinery.cluster;

import java.util.Objects;

/** What to do about etcd bootstrap this pass; see {@link BootstrapPlanner}. */
public sealed interface BootstrapDecision {

    /** No record yet: durably record this machine as the one that bootstraps, then act on the record. */
    record CreateRecord(String machineName) implements BootstrapDecision {
        public CreateRecord {
            Objects.requireNonNull(machineName, "machineName");
        }
    }

    /**
     * Call Bootstrap on this machine (the record's holder). ALREADY_EXISTS counts as success only when that node's
     * etcd is healthy; see {@link BootstrapPlanner#afterBootstrapCall}.
     */
    record CallBootstrap(String machineName) implements BootstrapDecision {
        public CallBootstrap {
            Objects.requireNonNull(machineName, "machineName");
        }
    }

    /**
     * No record, but etcd already runs on the nodes (the record was lost, e.g. left behind by a move): write the
     * record completed with the cluster ID the nodes report instead of bootstrapping a second cluster.
     */
    record RecordExisting(String machineName, String etcdClusterId) implements BootstrapDecision {
        public RecordExisting {
            Objects.requireNonNull(machineName, "machineName");
            Objects.requireNonNull(etcdClusterId, "etcdClusterId");
        }
    }

    record WaitForBootstrap(String reason) implements BootstrapDecision {
        public WaitForBootstrap {
            Objects.requireNonNull(reason, "reason");
        }
    }

    record AlreadyBootstrapped(String etcdClusterId) implements BootstrapDecision {
        public AlreadyBootstrapped {
            Objects.requireNonNull(etcdClusterId, "etcdClusterId");
        }
    }

    /** Bootstrap cannot finish without a human: a second bootstrap could create a second cluster. */
    record Stuck(String reason) implements BootstrapDecision {
        public Stuck {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
