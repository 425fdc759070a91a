package dev.kiln.capi.node;

import dev.kiln.machinery.pki.SecretsBundle;

/**
 * How the operator reaches a node: pinned maintenance access before it is configured, admin mTLS after, and for
 * snapshots only a certificate of role os:etcd:backup, which the node lets take snapshots and nothing else.
 */
public sealed interface NodeCredentials {

    record Maintenance(String pinnedFingerprint) implements NodeCredentials {
    }

    record ClusterAdmin(SecretsBundle secrets) implements NodeCredentials {
        @Override
        public String toString() {
            return "ClusterAdmin[secrets redacted]";
        }
    }

    record EtcdBackup(SecretsBundle secrets) implements NodeCredentials {
        @Override
        public String toString() {
            return "EtcdBackup[secrets redacted]";
        }
    }
}
