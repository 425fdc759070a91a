package dev.kiln.node.etcd;

import dev.kiln.machinery.config.ClusterSection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * etcd's {@code --initial-cluster-token}, which with the members' peer URLs decides the etcd cluster ID. It carries
 * the config's {@code cluster.id}, made anew with each cluster's secrets, so a cluster made again under the same name
 * on the same servers (a recovery) gets a new etcd cluster ID, and its members never take an old one's for theirs.
 */
public final class EtcdClusterToken {

    private EtcdClusterToken() {
    }

    public static String of(ClusterSection cluster) {
        String base = "kiln-" + cluster.clusterName();
        if (cluster.id() == null || cluster.id().isBlank()) {
            return base;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cluster.id().getBytes(StandardCharsets.UTF_8));
            return base + "-" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
