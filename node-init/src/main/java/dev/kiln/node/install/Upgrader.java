package dev.kiln.node.install;

import dev.kiln.machinery.release.ReleaseArchive;
import dev.kiln.node.disk.AtomicFiles;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts a downloaded, verified release into the inactive slot and makes it the next boot, on trial. Each step leaves
 * META naming a bootable slot: the target slot is first marked empty, then written, then activated.
 */
public final class Upgrader {

    /** Where a release is downloaded and unpacked before any slot or META changes. */
    public static Path stagingDir(DiskLayout disk) {
        return disk.ephemeral().resolve("upgrade");
    }

    /**
     * What {@link #prepare} verified: the release's version and its jar, still in the staging directory; a format-2
     * release's class list and runtime lie next to the jar.
     */
    public record Prepared(String version, Path jar) {
    }

    /** What {@link #install} changed. */
    public record Installed(BootSlot slot, String fromVersion, String toVersion) {
    }

    private final DiskLayout disk;
    private final ReleaseDownload download;

    public Upgrader(DiskLayout disk, ReleaseDownload download) {
        this.disk = disk;
        this.download = download;
    }

    /** Downloads and checks the release; only the staging directory changes, and it is emptied on failure. */
    public Prepared prepare(ImageRef ref) throws IOException, ReleaseDownload.DownloadFailed, ReleaseArchive.InvalidRelease {
        Path staging = stagingDir(disk);
        Files.createDirectories(staging);
        Path archive = staging.resolve("release.zip");
        try {
            download.fetch(ref, archive);
            ReleaseArchive.Contents contents = ReleaseArchive.unpack(archive, staging);
            return new Prepared(contents.version(), contents.jar());
        } catch (ReleaseDownload.DownloadFailed | ReleaseArchive.InvalidRelease | RuntimeException e) {
            clearStaging();
            throw e;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    public Installed install(Prepared prepared, String runningVersion, long etcdClusterId, long etcdMemberId)
            throws IOException {
        Meta meta = Meta.load(disk);
        BootSlot target = meta.activeSlot().other();
        String from = meta.installedVersion().orElse(runningVersion);
        meta.withoutInstalled(target).save(disk);
        disk.wipe(target.partition());
        Path slot = disk.boot(target);
        ReleaseLayout staged = new ReleaseLayout(prepared.jar().getParent());
        if (staged.hasRuntime()) {
            ReleaseFiles.copyRuntime(staged, new ReleaseLayout(slot));
        }
        AtomicFiles.copy(prepared.jar(), slot.resolve(Installer.IMAGE_FILE));
        AtomicFiles.writeString(slot.resolve(Installer.VERSION_FILE), prepared.version() + "\n");
        Meta.load(disk).withInstalled(target, prepared.version())
                .activateForTrial(target, new Meta.Trial(from, 0, etcdClusterId, etcdMemberId)).save(disk);
        clearStaging();
        return new Installed(target, from, prepared.version());
    }

    public void clearStaging() throws IOException {
        clearStaging(disk);
    }

    /** Removes what a download left in the staging directory; an interrupted upgrade leaves nothing else behind. */
    public static void clearStaging(DiskLayout disk) throws IOException {
        Path staging = stagingDir(disk);
        if (Files.isDirectory(staging)) {
            try (var files = Files.list(staging)) {
                for (Path file : files.toList()) {
                    ReleaseFiles.deleteTree(file);
                }
            }
        }
    }
}
