package dev.kiln.node.etcd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where an EtcdSnapshot is written on EPHEMERAL before it is sent, so that a slow client slows the send, not etcd,
 * and no part of the snapshot waits in memory. Spools left by a crash are removed by a later spool.
 */
public final class SnapshotSpool {

    private static final String PREFIX = "etcd-snapshot-";
    private static final String SUFFIX = ".spool";
    private static final Duration ABANDONED_AFTER = Duration.ofHours(6);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final Path directory;

    public SnapshotSpool(Path ephemeral) {
        this.directory = ephemeral;
    }

    /** A fresh owner-only file for one snapshot; the caller deletes it once sent. */
    public Path create() throws IOException {
        removeAbandoned();
        return Files.createTempFile(directory, PREFIX, SUFFIX, OWNER_ONLY);
    }

    public static OutputStream writeTo(Path spool) throws IOException {
        return Files.newOutputStream(spool, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                LinkOption.NOFOLLOW_LINKS);
    }

    private void removeAbandoned() throws IOException {
        Instant cutoff = Instant.now().minus(ABANDONED_AFTER);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(SnapshotSpool::isSpool).toList()) {
                if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(cutoff)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static boolean isSpool(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }
}
