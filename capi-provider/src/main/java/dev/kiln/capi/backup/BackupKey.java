package dev.kiln.capi.backup;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a backup lies in its bucket: {@code <prefix><namespace>/<cluster>/<time>-<etcd cluster id>.db}, the time in
 * UTC to the millisecond ({@code 20261204T235501.734Z}). Keys sort by time within a cluster's folder; only keys of this shape
 * are ever counted for retention or deleted.
 */
public record BackupKey(String folder, Instant taken, String etcdClusterId) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile("(\\d{8}T\\d{6}\\.\\d{3}Z)-([0-9a-f]{1,16})\\.db");

    /** The folder of one cluster's backups; {@code prefix} ends with '/' or is empty. */
    public static String folder(String prefix, String namespace, String cluster) {
        String normalized = prefix == null || prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/";
        return normalized + namespace + "/" + cluster + "/";
    }

    public static BackupKey of(String folder, Instant taken, String etcdClusterId) {
        return new BackupKey(folder, taken.truncatedTo(ChronoUnit.MILLIS), etcdClusterId);
    }

    /** The key if it is one of Kiln's backups directly in {@code folder}. */
    public static Optional<BackupKey> parse(String folder, String key) {
        if (!key.startsWith(folder)) {
            return Optional.empty();
        }
        Matcher name = NAME.matcher(key.substring(folder.length()));
        if (!name.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BackupKey(folder, TIME.parse(name.group(1), Instant::from), name.group(2)));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public String key() {
        return folder + TIME.format(taken) + "-" + etcdClusterId + ".db";
    }
}
