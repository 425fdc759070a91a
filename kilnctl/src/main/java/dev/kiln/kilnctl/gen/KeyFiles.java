package dev.kiln.kilnctl.gen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files that hold keys: owner-only from the moment they exist (the mode is given at creation, never set
 * afterwards), never through a symbolic link, and either created anew or replaced atomically by a rename.
 */
final class KeyFiles {

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private KeyFiles() {
    }

    /** Refuses {@code target} if it is a symbolic link, or, unless {@code replace}, if it exists at all. */
    static void checkWritable(Path target, boolean replace) {
        if (Files.isSymbolicLink(target)) {
            throw new IllegalArgumentException(target + ": is a symbolic link; refusing to write through it");
        }
        if (!replace && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException(target + " already exists (use --force to overwrite)");
        }
    }

    static void write(Path target, String text, boolean replace) throws IOException {
        checkWritable(target, replace);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (!replace) {
            try {
                // O_CREAT|O_EXCL: fails on anything already there, a symbolic link included.
                writeTo(target, bytes, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
            } catch (FileAlreadyExistsException e) {
                throw new IllegalArgumentException(target + " already exists (use --force to overwrite)");
            }
            return;
        }
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            writeTo(temp, bytes, StandardOpenOption.CREATE_NEW, LinkOption.NOFOLLOW_LINKS);
            checkWritable(target, true);
            // rename() replaces a link itself rather than following it.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void writeTo(Path file, byte[] bytes, OpenOption... options) throws IOException {
        Set<OpenOption> all = new java.util.HashSet<>(Set.of(options));
        all.add(StandardOpenOption.WRITE);
        try (FileChannel channel = FileChannel.open(file, all, OWNER_ONLY)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }
}
