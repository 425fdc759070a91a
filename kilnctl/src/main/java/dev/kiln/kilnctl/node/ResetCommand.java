package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.MachineClient;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reset", description = "Wipes the node back to maintenance mode, leaving etcd first when graceful.")
public final class ResetCommand extends NodeCommand {

    @Option(names = "--graceful", negatable = true, description = "leave etcd before wiping (default: ${DEFAULT-VALUE})")
    boolean graceful = true;

    @Option(names = "--reboot", negatable = true, description = "boot again afterwards instead of halting (default: ${DEFAULT-VALUE})")
    boolean reboot = true;

    @Option(names = "--system-labels-to-wipe", split = ",", description = "partitions to wipe (default: STATE,EPHEMERAL)")
    List<String> labels = new ArrayList<>();

    @Override
    protected void run(MachineClient client, PrintWriter out) {
        client.reset(graceful, reboot, labels);
        out.printf("%s: reset%n", client.node());
    }
}
