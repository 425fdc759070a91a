package dev.kiln.capi.etcd;

import dev.kiln.backupstore.S3Credentials;
import dev.kiln.capi.backup.RecoveryPlan;

/** The backup a cluster's etcd is bootstrapped from, with the credentials to read it. */
record Recovery(RecoveryPlan.Source source, S3Credentials credentials) {
}
