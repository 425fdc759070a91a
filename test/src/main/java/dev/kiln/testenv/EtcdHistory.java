package dev.kiln.testenv;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How a machine's etcd member came to be, read from its disk after the fact, so it holds whatever the operators did
 * or claim: the membership record node-init keeps on STATE ({@code origin} BOOTSTRAPPING, BOOTSTRAPPED, JOINING,
 * JOINED or LEFT; empty when etcd never started) and the lines node-init wrote to its etcd service log each time it
 * bootstrapped a new etcd cluster (on EPHEMERAL, kept across reboots).
 *
 * @param clusterId the record's etcd cluster ID in hex, empty when none
 * @param bootstrapLines every {@code etcd bootstrapped: cluster <id>} line of the etcd service log
 */
public record EtcdHistory(String server, String origin, String clusterId, List<String> bootstrapLines,
        boolean dataDirEmpty) {

    private static final String BOOTSTRAPPED = "etcd bootstrapped: cluster ";

    public static EtcdHistory of(Machines.Machine machine) {
        Path root = machine.root();
        Properties record = new Properties();
        Path recordFile = root.resolve("STATE/etcd-membership.properties");
        try {
            if (Files.exists(recordFile)) {
                record.load(new StringReader(Files.readString(recordFile)));
            }
            List<String> bootstraps = new ArrayList<>();
            for (Path log : List.of(root.resolve("EPHEMERAL/logs/etcd.log.1"), root.resolve("EPHEMERAL/logs/etcd.log"))) {
                if (Files.exists(log)) {
                    Files.readAllLines(log).stream().filter(line -> line.contains(BOOTSTRAPPED)).forEach(bootstraps::add);
                }
            }
            return new EtcdHistory(machine.name(), record.getProperty("origin", ""),
                    record.getProperty("clusterId", ""), bootstraps, isEmpty(root.resolve("EPHEMERAL/etcd")));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the etcd history of " + machine.name() + " under " + root, e);
        }
    }

    public static List<EtcdHistory> of(Machines machines) {
        return machines.list().stream().map(EtcdHistory::of).toList();
    }

    public boolean bootstrapped() {
        return origin.equals("BOOTSTRAPPING") || origin.equals("BOOTSTRAPPED") || !bootstrapLines.isEmpty();
    }

    /** One member addition as a node's etcd logged it when it applied it. */
    public record MemberAdded(Instant at, String memberId, boolean self) {
    }

    private static final Pattern ADDED = Pattern.compile(
            "\"ts\":\"([^\"]+)\".*\"msg\":\"added member\".*\"local-member-id\":\"([0-9a-f]+)\".*"
                    + "\"added-peer-id\":\"([0-9a-f]+)\"");

    /** Every member addition in the machine's etcd log (etcd's own {@code added member} lines), oldest first. */
    public static List<MemberAdded> memberAdditions(Machines.Machine machine) {
        List<MemberAdded> added = new ArrayList<>();
        for (Path log : List.of(machine.root().resolve("EPHEMERAL/logs/etcd.log.1"),
                machine.root().resolve("EPHEMERAL/logs/etcd.log"))) {
            try {
                if (!Files.exists(log)) {
                    continue;
                }
                for (String line : Files.readAllLines(log)) {
                    Matcher m = ADDED.matcher(line);
                    if (m.find()) {
                        added.add(new MemberAdded(Instant.parse(m.group(1)), m.group(3), m.group(2).equals(m.group(3))));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + log, e);
            }
        }
        return added;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
