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
 * without being confirmed, which version is installed in each slot, the trial of a freshly upgraded slot (null when
 * none) and the last rollback (null when none). Stored as a flat YAML map.
 */
public record Meta(BootSlot activeSlot, int bootAttempts, Map<BootSlot, String> installedVersions, Trial trial,
        String lastRollback) {

    /**
     * An upgraded slot that has not yet been confirmed healthy. {@code startedAtMillis} is 0 until the bootloader first
     * launches it; the etcd IDs are 0 on a node without an etcd member, else the ones the new version must find.
     */
    public record Trial(String fromVersion, long startedAtMillis, long etcdClusterId, long etcdMemberId) {
        public Trial {
            if (!VERSION.matcher(fromVersion).matches()) {
                throw new IllegalArgumentException("invalid trial from-version: '" + fromVersion + "'");
            }
        }

        public Trial startedAt(long millis) {
            return new Trial(fromVersion, millis, etcdClusterId, etcdMemberId);
        }
    }

    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final String ACTIVE_SLOT = "active-slot";
    private static final String BOOT_ATTEMPTS = "boot-attempts";
    private static final String INSTALLED_VERSION = "installed-version-";
    private static final String TRIAL_FROM = "trial-from-version";
    private static final String TRIAL_STARTED = "trial-started-at-millis";
    private static final String TRIAL_CLUSTER = "trial-etcd-cluster-id";
    private static final String TRIAL_MEMBER = "trial-etcd-member-id";
    private static final String LAST_ROLLBACK = "last-rollback";

    public Meta(BootSlot activeSlot, int bootAttempts, Map<BootSlot, String> installedVersions) {
        this(activeSlot, bootAttempts, installedVersions, null, null);
    }

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
        if (lastRollback != null) {
            // One line in the flat map.
            lastRollback = lastRollback.replaceAll("[\\r\\n]+", " ").strip();
        }
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
        return new Meta(activeSlot, bootAttempts, versions, trial, lastRollback);
    }

    /** Marks a slot as holding nothing bootable, while it is being rewritten. */
    public Meta withoutInstalled(BootSlot slot) {
        Map<BootSlot, String> versions = new EnumMap<>(BootSlot.class);
        versions.putAll(installedVersions);
        versions.remove(slot);
        return new Meta(activeSlot, bootAttempts, versions, trial, lastRollback);
    }

    /** Makes a slot the one to boot, with a fresh attempt count and no trial. */
    public Meta activate(BootSlot slot) {
        return new Meta(slot, 0, installedVersions, null, lastRollback);
    }

    /** Makes an upgraded slot the one to boot, on trial until node-init confirms it healthy. */
    public Meta activateForTrial(BootSlot slot, Trial newTrial) {
        return new Meta(slot, 0, installedVersions, newTrial, lastRollback);
    }

    public Meta withTrial(Trial newTrial) {
        return new Meta(activeSlot, bootAttempts, installedVersions, newTrial, lastRollback);
    }

    public Meta withLastRollback(String message) {
        return new Meta(activeSlot, bootAttempts, installedVersions, trial, message);
    }

    public Meta withBootAttempt() {
        return new Meta(activeSlot, bootAttempts + 1, installedVersions, trial, lastRollback);
    }

    /** The active slot booted fine, so no attempts are outstanding and no trial is pending. */
    public Meta bootConfirmed() {
        return new Meta(activeSlot, 0, installedVersions, null, lastRollback);
    }

    public Optional<Trial> trialPending() {
        return Optional.ofNullable(trial);
    }

    public Optional<String> lastRollbackMessage() {
        return Optional.ofNullable(lastRollback);
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
        if (trial != null) {
            out.append(TRIAL_FROM).append(": ").append(trial.fromVersion()).append('\n');
            out.append(TRIAL_STARTED).append(": ").append(trial.startedAtMillis()).append('\n');
            out.append(TRIAL_CLUSTER).append(": ").append(Long.toUnsignedString(trial.etcdClusterId(), 16)).append('\n');
            out.append(TRIAL_MEMBER).append(": ").append(Long.toUnsignedString(trial.etcdMemberId(), 16)).append('\n');
        }
        if (lastRollback != null) {
            out.append(LAST_ROLLBACK).append(": ").append(lastRollback).append('\n');
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
            Trial trial = null;
            if (entries.containsKey(TRIAL_FROM)) {
                trial = new Trial(entries.get(TRIAL_FROM), Long.parseLong(entries.getOrDefault(TRIAL_STARTED, "0")),
                        Long.parseUnsignedLong(entries.getOrDefault(TRIAL_CLUSTER, "0"), 16),
                        Long.parseUnsignedLong(entries.getOrDefault(TRIAL_MEMBER, "0"), 16));
            }
            String lastRollback = entries.get(LAST_ROLLBACK);
            return new Meta(active, attempts, versions, trial,
                    lastRollback == null || lastRollback.isEmpty() ? null : lastRollback);
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed meta: " + e.getMessage(), e);
        }
    }
}
