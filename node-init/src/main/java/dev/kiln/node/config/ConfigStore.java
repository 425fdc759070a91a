package dev.kiln.node.config;

import dev.kiln.node.disk.AtomicFiles;
import dev.kiln.node.disk.DiskLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * The machine config on the STATE partition: the active document, the one it replaced, one staged for the next
 * boot, and one on trial. Every write is atomic, so a crash leaves a whole document or the previous one.
 */
public final class ConfigStore {

    /** A config on trial and the moment it rolls back unless confirmed. */
    public record Trial(String yaml, Instant rollbackAt) {
    }

    private final DiskLayout disk;

    public ConfigStore(DiskLayout disk) {
        this.disk = disk;
    }

    public Optional<String> active() throws IOException {
        return read(disk.configFile());
    }

    public Optional<String> previous() throws IOException {
        return read(disk.previousConfigFile());
    }

    public Optional<String> staged() throws IOException {
        return read(disk.stagedConfigFile());
    }

    /** Makes {@code yaml} the active config and keeps the one it replaces as the previous config. */
    public void store(String yaml) throws IOException {
        Optional<String> current = active();
        if (current.isPresent()) {
            AtomicFiles.write(disk.previousConfigFile(), bytes(current.get()), AtomicFiles.Mode.SECRET);
        }
        AtomicFiles.write(disk.configFile(), bytes(yaml), AtomicFiles.Mode.SECRET);
    }

    public void stage(String yaml) throws IOException {
        AtomicFiles.write(disk.stagedConfigFile(), bytes(yaml), AtomicFiles.Mode.SECRET);
    }

    /** At boot: a staged config becomes the active one. */
    public boolean promoteStaged() throws IOException {
        Optional<String> staged = staged();
        if (staged.isEmpty()) {
            return false;
        }
        store(staged.get());
        Files.delete(disk.stagedConfigFile());
        AtomicFiles.syncDirectory(disk.state());
        return true;
    }

    public void startTrial(String yaml, Instant rollbackAt) throws IOException {
        AtomicFiles.write(trialFile(), bytes(rollbackAt.toEpochMilli() + "\n" + yaml), AtomicFiles.Mode.SECRET);
    }

    public Optional<Trial> trial() throws IOException {
        return read(trialFile()).map(text -> {
            int newline = text.indexOf('\n');
            return new Trial(text.substring(newline + 1), Instant.ofEpochMilli(Long.parseLong(text.substring(0, newline))));
        });
    }

    /** Ends a trial: by confirmation, by its timeout, or because the node rebooted during it. */
    public void endTrial() throws IOException {
        if (Files.deleteIfExists(trialFile())) {
            AtomicFiles.syncDirectory(disk.state());
        }
    }

    private Path trialFile() {
        return disk.state().resolve("config.try.yaml");
    }

    private static Optional<String> read(Path file) throws IOException {
        return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
