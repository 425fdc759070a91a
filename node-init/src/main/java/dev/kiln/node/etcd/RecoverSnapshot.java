package dev.kiln.node.etcd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The snapshot an EtcdRecover uploads: streamed into an owner-only file on EPHEMERAL, checked as it arrives, and
 * moved into place only whole and recognised, where a recovering Bootstrap finds it.
 */
public final class RecoverSnapshot {

    /** etcd's largest supported backend quota: no working cluster's snapshot is larger. */
    public static final long MAX_BYTES = 8L * 1024 * 1024 * 1024;
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path staged;
    private final long maxBytes;

    public RecoverSnapshot(Path ephemeral) {
        this(ephemeral, MAX_BYTES);
    }

    RecoverSnapshot(Path ephemeral, long maxBytes) {
        this.staged = ephemeral.resolve("etcd-recover.snapshot");
        this.maxBytes = maxBytes;
    }

    public Path path() {
        return staged;
    }

    public boolean isPresent() {
        return Files.isRegularFile(staged, LinkOption.NOFOLLOW_LINKS);
    }

    public void discard() throws IOException {
        Files.deleteIfExists(staged);
    }

    /** A new upload into a fresh owner-only file; the file is created here, so no planted link is followed. */
    public Upload begin() throws IOException {
        Path part = Files.createTempFile(staged.getParent(), "etcd-recover-", ".part", OWNER_ONLY);
        try {
            return new Upload(part, FileChannel.open(part, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
    }

    public final class Upload implements AutoCloseable {
        private final Path part;
        private final FileChannel out;
        private final SnapshotFormat format = new SnapshotFormat(maxBytes);
        private boolean committed;

        private Upload(Path part, FileChannel out) {
            this.part = part;
            this.out = out;
        }

        /** Writes the chunk unless the snapshot is already recognisably wrong. */
        public SnapshotFormat.Verdict write(byte[] chunk) throws IOException {
            SnapshotFormat.Verdict verdict = format.accept(chunk);
            if (verdict instanceof SnapshotFormat.Verdict.Acceptable) {
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            return verdict;
        }

        /** Puts a whole, recognised snapshot in place for Bootstrap, replacing any earlier upload. */
        public SnapshotFormat.Verdict commit() throws IOException {
            SnapshotFormat.Verdict verdict = format.finish();
            if (verdict instanceof SnapshotFormat.Verdict.Acceptable) {
                out.force(true);
                out.close();
                Files.move(part, staged, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                committed = true;
            }
            return verdict;
        }

        @Override
        public void close() throws IOException {
            out.close();
            if (!committed) {
                Files.deleteIfExists(part);
            }
        }
    }
}
