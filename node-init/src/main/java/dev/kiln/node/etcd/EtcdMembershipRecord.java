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
 * How this node's etcd member came to be, kept on STATE so a restart knows whether it still has to finish a join
 * and so a node that left does not quietly join again.
 */
public record EtcdMembershipRecord(Origin origin, long memberId, long clusterId, long joinMillis) {

    public enum Origin { BOOTSTRAPPING, BOOTSTRAPPED, JOINING, JOINED, LEFT }

    public static EtcdMembershipRecord of(Origin origin) {
        return new EtcdMembershipRecord(origin, 0, 0, 0);
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
                Long.parseLong(properties.getProperty("joinMillis", "0"))));
    }

    public void save(Path file) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("origin", origin.name());
        properties.setProperty("memberId", Long.toHexString(memberId));
        properties.setProperty("clusterId", Long.toHexString(clusterId));
        properties.setProperty("joinMillis", Long.toString(joinMillis));
        StringWriter text = new StringWriter();
        properties.store(text, null);
        AtomicFiles.writeString(file, text.toString().lines()
                .filter(line -> !line.startsWith("#")).sorted().reduce("", (all, line) -> all + line + "\n"));
    }
}
