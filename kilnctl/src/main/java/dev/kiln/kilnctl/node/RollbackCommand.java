package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.MachineClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "rollback", description = "Boots the node-init installed in the other boot slot, recording the"
        + " rollback on the node, and reboots.")
public final class RollbackCommand extends NodeCommand {

    @Override
    protected void run(MachineClient client, PrintWriter out) {
        client.rollback();
        out.printf("%s: rolling back to the other slot; rebooting%n", client.node());
    }
}
