package dev.kiln.backupstore;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a backup is, written next to it as {@code <key>.json} once the snapshot object is complete: a snapshot
 * without one was never finished and is not offered for recovery.
 *
 * @param etcdRevision the etcd revision the snapshot holds, as the node reported it; empty from a node that does not
 * @param member       the machine (operator) or node address (kilnctl) the snapshot came from
 * @param cluster      {@code <namespace>/<cluster>} for the operator's backups; empty for kilnctl's
 */
public record BackupManifest(String key, long size, String sha256, String etcdClusterId, OptionalLong etcdRevision,
        Instant taken, String member, String cluster) {

    public BackupManifest {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(etcdClusterId, "etcdClusterId");
        Objects.requireNonNull(etcdRevision, "etcdRevision");
        Objects.requireNonNull(taken, "taken");
    }

    public static String keyOf(String snapshotKey) {
        return snapshotKey + ".json";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("key", key);
        map.put("size", size);
        map.put("sha256", sha256);
        map.put("etcdClusterId", etcdClusterId);
        etcdRevision.ifPresent(revision -> map.put("etcdRevision", revision));
        map.put("taken", taken.toString());
        map.put("member", member);
        map.put("cluster", cluster);
        return map;
    }

    /** @throws IllegalArgumentException naming the missing or malformed field */
    public static BackupManifest fromMap(String manifestKey, Map<?, ?> map) {
        try {
            return new BackupManifest(text(map, "key"), Long.parseLong(text(map, "size")), text(map, "sha256"),
                    text(map, "etcdClusterId"), map.get("etcdRevision") == null ? OptionalLong.empty()
                            : OptionalLong.of(Long.parseLong(text(map, "etcdRevision"))),
                    Instant.parse(text(map, "taken")), String.valueOf(map.get("member")),
                    String.valueOf(map.get("cluster")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("backup manifest " + manifestKey + ": " + e.getMessage(), e);
        }
    }

    private static String text(Map<?, ?> map, String field) {
        Object value = map.get(field);
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return String.valueOf(value);
    }
}
