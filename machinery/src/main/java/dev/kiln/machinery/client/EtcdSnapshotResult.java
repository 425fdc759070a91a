package dev.kiln.machinery.client;

import java.util.OptionalLong;

/** What an EtcdSnapshot stream delivered: its size and, when the node reported it, the etcd revision it holds. */
public record EtcdSnapshotResult(long bytes, OptionalLong etcdRevision) {
}
