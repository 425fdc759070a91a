package dev.kiln.node.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Boot bookkeeping kept on the META partition: which slot boots, how many boots of it were attempted
 * without being confirmed, and which version is installed in each slot. Stored as a flat YAML map.
 */
public record Meta(BootSlot activeSlot, int bootAttempts, Map<BootSlot, String> installedVersions) {

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final String ACTIVE_SLOT = "active-slot";
    private static final String BOOT_ATTEMPTS = "boot-attempts";
    private static final String INSTALLED_VERSION = "installed-version-";

    public Meta {
        if (activeSlot == null) {
            throw new IllegalArgumentException("activeSlot is required");
        }
        if (bootAttempts < 0) {
            throw new IllegalArgumentException("bootAttempts must not be negative: " + bootAttempts);
        }
        installedVersions.forEach((slot, version) -> {
            if (!VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("invalid version for slot " + slot + ": '" + version + "'");
            }
        });
        installedVersions = Map.copyOf(installedVersions);
    }

    /** A node that has never booted an installed image. */
    public static Meta fresh() {
        return new Meta(BootSlot.A, 0, Map.of());
    }

    /** The version installed in the active slot, if any. */
    public Optional<String> installedVersion() {
        return installedVersion(activeSlot);
    }

    public Optional<String> installedVersion(BootSlot slot) {
        return Optional.ofNullable(installedVersions.get(slot));
    }

    public Meta withInstalled(BootSlot slot, String version) {
        Map<BootSlot, String> versions = new EnumMap<>(BootSlot.class);
        versions.putAll(installedVersions);
        versions.put(slot, version);
        return new Meta(activeSlot, bootAttempts, versions);
    }

    /** Makes a slot the one to boot, with a fresh attempt count. */
    public Meta activate(BootSlot slot) {
        return new Meta(slot, 0, installedVersions);
    }

    public Meta withBootAttempt() {
        return new Meta(activeSlot, bootAttempts + 1, installedVersions);
    }

    /** The active slot booted fine, so no attempts are outstanding. */
    public Meta bootConfirmed() {
        return new Meta(activeSlot, 0, installedVersions);
    }

    /** Reads META/meta.yaml; a node with no such file yet is {@link #fresh()}. */
    public static Meta load(DiskLayout disk) throws IOException {
        String text;
        try {
            text = Files.readString(disk.metaFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return fresh();
        }
        return parse(text);
    }

    public void save(DiskLayout disk) throws IOException {
        AtomicFiles.writeString(disk.metaFile(), render());
    }

    String render() {
        StringBuilder out = new StringBuilder("# Kiln META partition: boot bookkeeping\n");
        out.append(ACTIVE_SLOT).append(": ").append(activeSlot).append('\n');
        out.append(BOOT_ATTEMPTS).append(": ").append(bootAttempts).append('\n');
        for (BootSlot slot : BootSlot.values()) {
            String version = installedVersions.get(slot);
            if (version != null) {
                out.append(INSTALLED_VERSION).append(slot.name().toLowerCase()).append(": ").append(version).append('\n');
            }
        }
        return out.toString();
    }

    static Meta parse(String text) throws IOException {
        Map<String, String> entries = new HashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IOException("malformed meta line: '" + line + "'");
            }
            entries.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        try {
            BootSlot active = BootSlot.valueOf(entries.getOrDefault(ACTIVE_SLOT, "A"));
            int attempts = Integer.parseInt(entries.getOrDefault(BOOT_ATTEMPTS, "0"));
            Map<BootSlot, String> versions = new EnumMap<>(BootSlot.class);
            for (BootSlot slot : BootSlot.values()) {
                String version = entries.get(INSTALLED_VERSION + slot.name().toLowerCase());
                if (version != null && !version.isEmpty()) {
                    versions.put(slot, version);
                }
            }
            return new Meta(active, attempts, versions);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed meta: " + e.getMessage(), e);
        }
    }
}
