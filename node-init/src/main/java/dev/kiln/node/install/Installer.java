package dev.kiln.node.install;

import dev.kiln.node.disk.AtomicFiles;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Installs node-init's own distribution (the jar it runs from, with its runtime and class list when it runs from an
 * unpacked format-2 release) into the inactive boot slot and makes that slot active in META; the launcher boots from
 * the active slot.
 */
public final class Installer {

    public static final String IMAGE_FILE = "node-init.jar";
    public static final String VERSION_FILE = "VERSION";
    /** In a development build's slot, instead of the jar: the class path node-init runs from. */
    public static final String CLASSES_FILE = "CLASSES";

    private final DiskLayout disk;
    private final Path distribution;
    private final String version;

    public Installer(DiskLayout disk, Path distribution, String version) {
        this.disk = disk;
        this.distribution = distribution;
        this.version = version;
    }

    public boolean isInstalled() throws IOException {
        return Meta.load(disk).installedVersion().isPresent();
    }

    /** Returns the slot that is active after the install. */
    public BootSlot install() throws IOException {
        Meta meta = Meta.load(disk);
        BootSlot target = meta.activeSlot().other();
        Path slot = disk.boot(target);
        disk.wipe(target == BootSlot.A ? dev.kiln.node.disk.Partition.BOOT_A : dev.kiln.node.disk.Partition.BOOT_B);
        if (Files.isRegularFile(distribution)) {
            ReleaseLayout running = new ReleaseLayout(distribution.toAbsolutePath().getParent());
            boolean release = running.jar().equals(distribution.toAbsolutePath()) && running.hasRuntime();
            if (release) {
                ReleaseFiles.copyRuntime(running, new ReleaseLayout(slot));
            }
            Path jar = slot.resolve(IMAGE_FILE);
            AtomicFiles.copy(distribution, jar);
            if (release) {
                ReleaseFiles.copyClassArchive(running, new ReleaseLayout(slot));
            }
        } else {
            // Running from a class directory (a development build): record the class path to boot from instead.
            AtomicFiles.writeString(slot.resolve(CLASSES_FILE), System.getProperty("java.class.path") + "\n");
        }
        AtomicFiles.writeString(slot.resolve(VERSION_FILE), version + "\n");
        meta.withInstalled(target, version).activate(target).save(disk);
        return target;
    }
}
