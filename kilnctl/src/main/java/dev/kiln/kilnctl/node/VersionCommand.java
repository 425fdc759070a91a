package dev.kiln.kilnctl.node;

import dev.kiln.machinery.api.machine.Version;
import dev.kiln.machinery.client.MachineClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Prints each node's version and platform.")
public final class VersionCommand extends NodeCommand {

    @Override
    protected void run(MachineClient client, PrintWriter out) {
        Version version = client.version();
        out.printf("NODE %s%n\tTag: %s%n\tSHA: %s%n\tBuilt: %s%n\tPlatform: %s (%s)%n", client.node(),
                version.getVersion().getTag(), version.getVersion().getSha(), version.getVersion().getBuilt(),
                version.getPlatform().getName(), version.getPlatform().getMode());
        if (!version.getVersion().getRunning().isEmpty()) {
            out.printf("\tRunning: %s%s%n", version.getVersion().getRunning(),
                    version.getVersion().getTrial() ? " (on trial after an upgrade)" : "");
        }
        if (!version.getVersion().getLastRollback().isEmpty()) {
            out.printf("\tLast rollback: %s%n", version.getVersion().getLastRollback());
        }
    }
}
