package dev.kiln.node;

import dev.kiln.node.boot.ExitCode;
import dev.kiln.node.boot.Machine;
import dev.kiln.node.boot.NodeSettings;
import dev.kiln.node.pid1.AsPid1;
import dev.kiln.node.pid1.PowerAction;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Kiln's machine init: serves the machine API and runs the node's services from its root disk. */
public final class NodeInit {

    private final NodeSettings settings;

    NodeInit(NodeSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) {
        int code = run(args);
        if (AsPid1.isPid1()) {
            AsPid1.end(code);
        }
        System.exit(code);
    }

    private static int run(String[] args) {
        NodeCommandLine.Parsed parsed;
        try {
            parsed = NodeCommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("node-init: " + e.getMessage());
            System.err.print(NodeCommandLine.USAGE);
            return 2;
        }
        if (!(parsed instanceof NodeCommandLine.Run run)) {
            System.out.print(NodeCommandLine.USAGE);
            return 0;
        }
        try {
            return new NodeInit(run.settings()).call();
        } catch (Exception e) {
            e.printStackTrace();
            return ExitCode.FAILURE.code();
        }
    }

    int call() throws Exception {
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
