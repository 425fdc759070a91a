package dev.kiln.node;

import dev.kiln.node.boot.NodeSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * node-init's command line, read by hand: an argument library cost about 170 classes in every start (see
 * docs/upgrades.md, "node-init footprint"). Options take their value as the next argument or after {@code =}.
 */
final class NodeCommandLine {

    static final String USAGE = """
            Usage: node-init --root DIR --listen ADDR:PORT [--hostname NAME] [--etcd PATH] [--etcdctl PATH]
                             [--download-ca FILE]
            Kiln's machine init: serves the machine API and runs the node's services from its root disk.
              --root DIR           directory standing for the machine's disk (required)
              --listen ADDR:PORT   machine API address (required; etcd uses ADDR too)
              --hostname NAME      node name when the config gives none
              --etcd PATH          etcd binary (default: /usr/bin/etcd)
              --etcdctl PATH       etcdctl binary, used to restore snapshots (default: /usr/bin/etcdctl)
              --download-ca FILE   PEM file of CAs trusted for https release downloads, besides the JDK's trust store
              -h, --help           print this and exit
            Exit codes: 0 halt, 1 failure, 10 reboot (the launcher starts node-init again on the same root). As PID 1
            (the boot image) it never exits: halt powers off, the others reboot.
            """;

    private static final List<String> OPTIONS =
            List.of("--root", "--listen", "--hostname", "--etcd", "--etcdctl", "--download-ca");

    /** What the arguments ask for. */
    sealed interface Parsed permits Run, Help {
    }

    record Run(NodeSettings settings) implements Parsed {
    }

    record Help() implements Parsed {
    }

    private NodeCommandLine() {
    }

    /** The settings the arguments give; an {@link IllegalArgumentException} names the option that is wrong. */
    static Parsed parse(String... args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                return new Help();
            }
            int eq = arg.indexOf('=');
            String name = eq > 0 && arg.startsWith("--") ? arg.substring(0, eq) : arg;
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            String value;
            if (eq > 0 && arg.startsWith("--")) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw new IllegalArgumentException(name + " given twice");
            }
        }
        Path root = Path.of(required(values, "--root"));
        String listen = required(values, "--listen");
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen " + listen + ": expected ADDR:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen " + listen + ": the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--listen " + listen + ": the port is not in 1..65535");
        }
        return new Run(new NodeSettings(root, listen.substring(0, colon), port,
                Optional.ofNullable(values.get("--hostname")), values.getOrDefault("--etcd", "/usr/bin/etcd"),
                values.getOrDefault("--etcdctl", "/usr/bin/etcdctl"),
                Optional.ofNullable(values.get("--download-ca")).map(Path::of)));
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }
}
