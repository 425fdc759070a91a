package dev.kiln.node.install;

import dev.kiln.machinery.release.ReleaseArchive;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of one node-init release in a directory: a boot slot, or an unpacked release archive. A format-1 release
 * has only the jar; a format-2 release adds its class list and runtime, and the machine adds the class archive.
 */
public record ReleaseLayout(Path dir) {

    public static final String CLASS_ARCHIVE_FILE = "node-init.jsa";
    /** The archive of only the classes maintenance mode loads: fewer pages for a node that waits for its config. */
    public static final String MAINTENANCE_CLASS_ARCHIVE_FILE = "node-init-maintenance.jsa";

    public Path jar() {
        return dir.resolve(ReleaseArchive.JAR_ENTRY);
    }

    public Path classList() {
        return dir.resolve(ReleaseArchive.CLASS_LIST_ENTRY);
    }

    public Path runtime() {
        return dir.resolve(ReleaseArchive.RUNTIME_DIR);
    }

    public Path java() {
        return runtime().resolve("bin").resolve("java");
    }

    public Path classArchive() {
        return dir.resolve(CLASS_ARCHIVE_FILE);
    }

    public Path maintenanceClassArchive() {
        return dir.resolve(MAINTENANCE_CLASS_ARCHIVE_FILE);
    }

    /** Whether this release brings its own runtime (format 2) rather than running on the machine's. */
    public boolean hasRuntime() {
        return Files.isExecutable(java()) && Files.isRegularFile(classList()) && Files.isRegularFile(jar());
    }
}
