package dev.kiln.node.etcd;

import dev.kiln.node.disk.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * How this node's etcd member came to be and which step of a join it reached, kept on STATE and written before each
 * step is taken, so a restart resumes or rolls back the step instead of guessing from the data directory.
 *
 * @param peerUrl this member's peer URL as the cluster knows it; empty before a learner was added
 */
public record EtcdMembershipRecord(Origin origin, long memberId, long clusterId, long joinMillis, String peerUrl) {

    public enum Origin {
        BOOTSTRAPPING,
        BOOTSTRAPPED,
        /** About to ask a peer to add this node as a learner; the learner's ID is not known yet. */
        LEARNER_ADD_INTENDED,
        /** A learner with {@code memberId} exists in {@code clusterId}; etcd may or may not have started on it. */
        JOINING,
        /** etcd ran as that learner and answered with the recorded IDs; promotion is pending. */
        ETCD_STARTED,
        JOINED,
        LEFT,
        /** The cluster removed this member: etcd must not run again until a reset. */
        REMOVED
    }

    public EtcdMembershipRecord {
        peerUrl = peerUrl == null ? "" : peerUrl;
    }

    public EtcdMembershipRecord(Origin origin, long memberId, long clusterId, long joinMillis) {
        this(origin, memberId, clusterId, joinMillis, "");
    }

    public static EtcdMembershipRecord of(Origin origin) {
        return new EtcdMembershipRecord(origin, 0, 0, 0, "");
    }

    public EtcdMembershipRecord at(Origin next) {
        return new EtcdMembershipRecord(next, memberId, clusterId, joinMillis, peerUrl);
    }

    public static Optional<EtcdMembershipRecord> load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file)));
        return Optional.of(new EtcdMembershipRecord(
                Origin.valueOf(properties.getProperty("origin")),
                Long.parseUnsignedLong(properties.getProperty("memberId", "0"), 16),
                Long.parseUnsignedLong(properties.getProperty("clusterId", "0"), 16),
                Long.parseLong(properties.getProperty("joinMillis", "0")),
                properties.getProperty("peerUrl", "")));
    }

    public void save(Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("origin", origin.name());
        properties.setProperty("memberId", Long.toHexString(memberId));
        properties.setProperty("clusterId", Long.toHexString(clusterId));
        properties.setProperty("joinMillis", Long.toString(joinMillis));
        if (!peerUrl.isEmpty()) {
            properties.setProperty("peerUrl", peerUrl);
        }
        StringWriter text = new StringWriter();
        properties.store(text, null);
        AtomicFiles.writeString(file, text.toString().lines()
                .filter(line -> !line.startsWith("#")).sorted().reduce("", (all, line) -> all + line + "\n"));
    }
}
