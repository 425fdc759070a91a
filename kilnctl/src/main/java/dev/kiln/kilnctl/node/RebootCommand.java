package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.MachineClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reboot", description = "Reboots the node (for node-init: exits with the reboot code; its launcher boots it again).")
public final class RebootCommand extends NodeCommand {

    @Option(names = "--shutdown", description = "halt instead of booting again")
    boolean shutdown;

    @Override
    protected void run(MachineClient client, PrintWriter out) {
        if (shutdown) {
            client.shutdown();
            out.printf("%s: shutting down%n", client.node());
        } else {
            client.reboot();
            out.printf("%s: rebooting%n", client.node());
        }
    }
}
