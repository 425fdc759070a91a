package dev.kiln.capi.backup;

import dev.kiln.backupstore.BackupManifest;
import dev.kiln.backupstore.S3BackupStore;
import dev.kiln.backupstore.S3Credentials;
import dev.kiln.capi.node.NodeApi;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Streams a backup from S3 into a node's EtcdRecover, checking it against its record on the way: the manifest must
 * agree with what the plan expects, and the bytes the node received must have the expected SHA-256. A refusal
 * happens before Bootstrap is asked, so nothing is restored from a snapshot that does not match.
 */
public final class SnapshotRestore {

    /** Why a snapshot was not restored; the node then holds at most an upload nobody bootstraps from. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /** What the node received, checked. */
    public record Uploaded(String key, long size, String sha256) {}

    private SnapshotRestore() {
    }

    public static Uploaded upload(RecoveryPlan.Source source, S3Credentials credentials, NodeApi node) {
        try (S3BackupStore store = S3BackupStore.open(source.destination(), credentials)) {
            Optional<BackupManifest> manifest = store.manifest(source.key());
            String expected = source.sha256().or(() -> manifest.map(BackupManifest::sha256)).orElseThrow(() ->
                    new Refused("backup " + source.key() + " has no manifest and spec.recoverFrom.sha256 is not set:"
                            + " nothing to check it against"));
            if (manifest.isPresent() && !manifest.get().sha256().equals(expected)) {
                throw new Refused("backup " + source.key() + ": its manifest says sha256 " + manifest.get().sha256()
                        + ", the backup record " + expected);
            }
            if (manifest.isPresent() && source.etcdClusterId().isPresent()
                    && !manifest.get().etcdClusterId().equals(source.etcdClusterId().get())) {
                throw new Refused("backup " + source.key() + ": its manifest says etcd cluster "
                        + manifest.get().etcdClusterId() + ", the backup record " + source.etcdClusterId().get());
            }
            MessageDigest digest = S3BackupStore.digest("SHA-256");
            long size;
            try (InputStream in = new DigestInputStream(store.read(source.key()), digest)) {
                CountingInputStream counted = new CountingInputStream(in);
                node.etcdRecover(counted);
                size = counted.count;
            } catch (IOException e) {
                throw new UncheckedIOException("reading backup " + source.key(), e);
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(expected)) {
                throw new Refused("backup " + source.key() + " has sha256 " + actual + ", the backup record says "
                        + expected + "; not restored");
            }
            return new Uploaded(source.key(), size, actual);
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
