package dev.kiln.node.testing;

import dev.kiln.node.etcd.EtcdDataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** What a node's disk says about its etcd member, read from outside as a test would inspect a real disk. */
public record JoinerFacts(Path root) {

    public Path recordFile() {
        return root.resolve("STATE").resolve("etcd-membership.properties");
    }

    public Path etcdLog() {
        return root.resolve("EPHEMERAL").resolve("logs").resolve("etcd.log");
    }

    public Path dataDir() {
        return root.resolve("EPHEMERAL").resolve("etcd");
    }

    public Optional<Properties> record() {
        try {
            if (!Files.exists(recordFile())) {
                return Optional.empty();
            }
            Properties properties = new Properties();
            properties.load(new java.io.StringReader(Files.readString(recordFile())));
            return Optional.of(properties);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public String origin() {
        return record().map(p -> p.getProperty("origin", "")).orElse("");
    }

    public long recordedClusterId() {
        return record().map(p -> Long.parseUnsignedLong(p.getProperty("clusterId", "0"), 16)).orElse(0L);
    }

    public long recordedMemberId() {
        return record().map(p -> Long.parseUnsignedLong(p.getProperty("memberId", "0"), 16)).orElse(0L);
    }

    public boolean memberDirExists() {
        return Files.isDirectory(dataDir().resolve("member"));
    }

    public boolean walWritten() {
        return EtcdDataDir.inspect(dataDir()).wal();
    }

    public String etcdLogText() {
        try {
            return Files.exists(etcdLog()) ? Files.readString(etcdLog()) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** How node-init started etcd, one entry per start, e.g. "resume", "joinexisting" or "newcluster". */
    public List<String> launches() {
        return etcdLogText().lines().filter(line -> line.startsWith("[kiln] starting etcd ("))
                .map(line -> line.substring("[kiln] starting etcd (".length(), line.length() - 1).toLowerCase())
                .toList();
    }
}
