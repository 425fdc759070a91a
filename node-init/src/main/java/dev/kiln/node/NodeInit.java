package dev.kiln.node;

import dev.kiln.node.boot.ExitCode;
import dev.kiln.node.boot.Machine;
import dev.kiln.node.boot.NodeSettings;
import dev.kiln.node.pid1.AsPid1;
import dev.kiln.node.pid1.PowerAction;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "node-init", mixinStandardHelpOptions = true,
        description = "Kiln's machine init: serves the machine API and runs the node's services from its root disk.",
        footer = "Exit codes: 0 halt, 1 failure, 10 reboot (the launcher starts node-init again on the same root)."
                + " As PID 1 (the boot image) it never exits: halt powers off, the others reboot.")
public final class NodeInit implements Callable<Integer> {

    @Option(names = "--root", required = true, description = "directory standing for the machine's disk")
    Path root;

    @Option(names = "--listen", required = true, description = "machine API address, ADDR:PORT (etcd uses ADDR too)")
    String listen;

    @Option(names = "--hostname", description = "node name when the config gives none")
    String hostname;

    @Option(names = "--etcd", description = "etcd binary (default: ${DEFAULT-VALUE})")
    String etcdBinary = "/usr/bin/etcd";

    @Option(names = "--etcdctl", description = "etcdctl binary, used to restore snapshots (default: ${DEFAULT-VALUE})")
    String etcdctlBinary = "/usr/bin/etcdctl";

    @Option(names = "--download-ca", description = "PEM file of CAs trusted for https release downloads,"
            + " besides the JDK's trust store")
    Path downloadCa;

    public static void main(String[] args) {
        int code = new CommandLine(new NodeInit()).execute(args);
        if (AsPid1.isPid1()) {
            AsPid1.end(code);
        }
        System.exit(code);
    }

    @Override
    public Integer call() throws Exception {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen " + listen + ": expected ADDR:PORT");
        }
        NodeSettings settings = new NodeSettings(root, listen.substring(0, colon),
                Integer.parseInt(listen.substring(colon + 1)), Optional.ofNullable(hostname), etcdBinary, etcdctlBinary,
                Optional.ofNullable(downloadCa));
        Machine machine = new Machine(settings, distribution(), System.out);
        if (AsPid1.isPid1()) {
            AsPid1.start(machine);
        } else {
            Runtime.getRuntime().addShutdownHook(new Thread(machine::close, "node-init-shutdown"));
        }
        try {
            machine.boot();
        } catch (Exception e) {
            System.err.println("node-init: boot failed: " + e.getMessage());
            machine.close();
            return ExitCode.FAILURE.code();
        }
        ExitCode exit = machine.awaitExit();
        System.out.println(AsPid1.isPid1()
                ? "node-init: " + exit + " (" + exit.code() + "): PID 1 does not exit; "
                        + PowerAction.forExit(exit.code()) + " of the machine"
                : "node-init: exiting with " + exit + " (" + exit.code() + ")");
        return exit.code();
    }

    private static Path distribution() throws URISyntaxException {
        return Path.of(NodeInit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
