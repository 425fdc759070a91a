package dev.kiln.node.install;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Copies and removes the file trees of a release (its runtime), keeping file modes. */
final class ReleaseFiles {

    private ReleaseFiles() {
    }

    /** Copies the class list and the runtime of {@code from} into {@code to}; the jar is the caller's. */
    static void copyRuntime(ReleaseLayout from, ReleaseLayout to) throws IOException {
        deleteTree(to.runtime());
        copyTree(from.runtime(), to.runtime());
        Files.copy(from.classList(), to.classList(), StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(to.classArchive());
        Files.deleteIfExists(to.maintenanceClassArchive());
    }

    /**
     * Copies the class archives of {@code from}, when it has them, next to the jar already copied into {@code to}: an
     * archive holds for a jar of the same name, size and time (see {@link ClassArchive}), so the copy gets the
     * original jar's time and the slot's first boot needs no dump.
     */
    static void copyClassArchive(ReleaseLayout from, ReleaseLayout to) throws IOException {
        if (!Files.isRegularFile(from.classArchive()) || Files.size(from.jar()) != Files.size(to.jar())) {
            return;
        }
        Files.setLastModifiedTime(to.jar(), Files.getLastModifiedTime(from.jar()));
        copyAtomically(from.classArchive(), to.classArchive());
        if (Files.isRegularFile(from.maintenanceClassArchive())) {
            copyAtomically(from.maintenanceClassArchive(), to.maintenanceClassArchive());
        } else {
            Files.deleteIfExists(to.maintenanceClassArchive());
        }
    }

    private static void copyAtomically(Path from, Path to) throws IOException {
        Path partial = to.resolveSibling(to.getFileName() + ".partial");
        Files.copy(from, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                // Follows links (a runtime's legal notices may be links), copies modes so launchers stay executable.
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
