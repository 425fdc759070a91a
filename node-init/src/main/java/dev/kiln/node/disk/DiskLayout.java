package dev.kiln.node.disk;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/** Where everything lives on the node's disk, rooted at one directory that stands for the disk. */
public record DiskLayout(Path root) {

    public DiskLayout {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
    }

    /**
     * Creates whatever partitions and well-known directories are missing; existing content is kept,
     * so calling it on every boot is safe. Also clears temp files left by writes a crash interrupted.
     */
    public static DiskLayout format(Path root) throws IOException {
        DiskLayout disk = new DiskLayout(root);
        for (Partition p : Partition.values()) {
            Files.createDirectories(disk.partition(p));
        }
        Files.createDirectories(disk.identityDir());
        Files.createDirectories(disk.etcdDataDir());
        Files.createDirectories(disk.logsDir());
        Files.createDirectories(disk.runDir());
        AtomicFiles.removeStaleTemps(disk.partition(Partition.STATE));
        AtomicFiles.removeStaleTemps(disk.identityDir());
        AtomicFiles.removeStaleTemps(disk.partition(Partition.META));
        AtomicFiles.removeStaleTemps(disk.runDir());
        return disk;
    }

    public Path partition(Partition p) {
        return root.resolve(p.label());
    }

    public Path state() {
        return partition(Partition.STATE);
    }

    public Path ephemeral() {
        return partition(Partition.EPHEMERAL);
    }

    public Path meta() {
        return partition(Partition.META);
    }

    public Path boot(BootSlot slot) {
        return partition(slot.partition());
    }

    /** The applied machine config. */
    public Path configFile() {
        return state().resolve("config.yaml");
    }

    /** The config that was applied before the current one, kept for rollback. */
    public Path previousConfigFile() {
        return state().resolve("config.previous.yaml");
    }

    /** A config applied in staged mode, to take effect on the next boot. */
    public Path stagedConfigFile() {
        return state().resolve("config.staged.yaml");
    }

    /** Node identity: keys and certificates that must survive reboots (e.g. the maintenance key). */
    public Path identityDir() {
        return state().resolve("identity");
    }

    public Path etcdDataDir() {
        return ephemeral().resolve("etcd");
    }

    /** Service logs, one {@code <service>.log} per service. */
    public Path logsDir() {
        return ephemeral().resolve("logs");
    }

    /** Run files such as service pidfiles; EPHEMERAL because they describe this boot's processes. */
    public Path runDir() {
        return ephemeral().resolve("run");
    }

    public Path metaFile() {
        return meta().resolve("meta.yaml");
    }

    /** Empties one partition, keeping its directory; {@link #format} restores its skeleton. */
    public void wipe(Partition p) throws IOException {
        Path dir = partition(p);
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                if (!d.equals(dir)) {
                    Files.delete(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        AtomicFiles.syncDirectory(dir);
    }
}
