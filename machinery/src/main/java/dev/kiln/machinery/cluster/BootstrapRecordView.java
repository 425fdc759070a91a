package dev.kiln.machinery.cluster;

import java.util.Objects;
import java.util.Optional;

/**
 * The durable bootstrap record of one cluster, kept by the caller.
 *
 * @param machineName   the one control-plane machine chosen to bootstrap etcd
 * @param completed     bootstrap finished and etcd on that machine was seen healthy
 * @param etcdClusterId etcd cluster id captured at completion; {@code null} until then
 */
public record BootstrapRecordView(String machineName, boolean completed, String etcdClusterId) {

    public BootstrapRecordView {
        Objects.requireNonNull(machineName, "machineName");
        if (completed && (etcdClusterId == null || etcdClusterId.isBlank())) {
            throw new IllegalArgumentException("a completed bootstrap record must carry the etcd cluster id");
        }
    }

    public static BootstrapRecordView pending(String machineName) {
        return new BootstrapRecordView(machineName, false, null);
    }

    public static BootstrapRecordView completed(String machineName, String etcdClusterId) {
        return new BootstrapRecordView(machineName, true, etcdClusterId);
    }

    public Optional<String> clusterId() {
        return Optional.ofNullable(etcdClusterId);
    }
}
