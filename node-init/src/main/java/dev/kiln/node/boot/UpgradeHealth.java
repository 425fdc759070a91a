package dev.kiln.node.boot;

import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.disk.Meta;
import dev.kiln.node.etcd.EtcdNode;
import java.util.Optional;

/**
 * Whether an upgraded slot is healthy enough to keep: configured, and on a control plane an etcd member that serves
 * and is the same member of the same cluster as before the upgrade.
 */
record UpgradeHealth(MachineConfig config, EtcdNode etcd, Meta.Trial trial) {

    Optional<String> problem() {
        if (config == null) {
            return Optional.of("no usable config");
        }
        if (!config.machine().isControlPlane()) {
            return Optional.empty();
        }
        if (etcd == null) {
            return Optional.of("etcd is not running");
        }
        EtcdNode.MemberStatus status;
        try {
            status = etcd.status();
        } catch (NodeRefusal e) {
            return Optional.of("etcd is not healthy: " + e.getMessage());
        }
        if (status.status().isLearner()) {
            return Optional.of("etcd member is a learner");
        }
        if (trial.etcdClusterId() != 0 && status.clusterId() != trial.etcdClusterId()) {
            return Optional.of("etcd cluster ID " + Long.toHexString(status.clusterId()) + ", expected "
                    + Long.toHexString(trial.etcdClusterId()));
        }
        if (trial.etcdMemberId() != 0 && status.memberId() != trial.etcdMemberId()) {
            return Optional.of("etcd member ID " + Long.toHexString(status.memberId()) + ", expected "
                    + Long.toHexString(trial.etcdMemberId()));
        }
        return Optional.empty();
    }
}
