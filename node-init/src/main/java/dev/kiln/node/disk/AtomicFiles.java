package dev.kiln.node.disk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one way node state files are written: a temp file in the target's directory is written and
 * fsynced, renamed over the target atomically, and the directory is fsynced so the rename itself
 * is durable. Readers, and a node that crashes at any point, see the old content or the new one.
 */
public final class AtomicFiles {

    /** Who may read the written file. */
    public enum Mode {
        /** 0644. */
        PUBLIC(PosixFilePermissions.fromString("rw-r--r--")),
        /** 0600, for keys and anything else secret. */
        SECRET(PosixFilePermissions.fromString("rw-------"));

        private final Set<PosixFilePermission> permissions;

        Mode(Set<PosixFilePermission> permissions) {
            this.permissions = permissions;
        }
    }

    private static final String TEMP_SUFFIX = ".kiln-tmp";

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] data) throws IOException {
        write(target, data, Mode.PUBLIC);
    }

    public static void writeSecret(Path target, byte[] data) throws IOException {
        write(target, data, Mode.SECRET);
    }

    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8), Mode.PUBLIC);
    }

    public static void write(Path target, byte[] data, Mode mode) throws IOException {
        replace(target, mode, out -> {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        });
    }

    /**
     * Copies {@code source} to {@code target} as {@link #write} writes: through a fsynced temp file and a rename. The
     * kernel copies the bytes, so a large file neither passes through the heap nor grows it.
     */
    public static void copy(Path source, Path target) throws IOException {
        replace(target, Mode.PUBLIC, out -> {
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                long size = in.size();
                for (long done = 0; done < size; ) {
                    long moved = in.transferTo(done, size - done, out);
                    if (moved <= 0) {
                        throw new IOException(source + " ended at byte " + done + " of " + size + " while copying");
                    }
                    done += moved;
                }
            }
        });
    }

    private interface Content {
        void writeTo(FileChannel out) throws IOException;
    }

    private static void replace(Path target, Mode mode, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Created 0600 by default, so a secret is never readable by others, not even briefly.
        Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(out);
                out.force(true);
            }
            if (isPosix(dir)) {
                Files.setPosixFilePermissions(temp, mode.permissions);
            }
            // ATOMIC_MOVE is rename(2): replaces an existing target in one step.
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(dir);
    }

    /** Makes renames and deletions in a directory durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Deletes temp files left in a directory by writes that a crash interrupted; returns how many. */
    public static int removeStaleTemps(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*" + TEMP_SUFFIX)) {
            for (Path temp : temps) {
                if (Files.deleteIfExists(temp)) {
                    removed++;
                }
            }
        }
        if (removed > 0) {
            syncDirectory(dir);
        }
        return removed;
    }

    static boolean isTemp(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    private static boolean isPosix(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
