package dev.kiln.kilnctl.node;

import dev.kiln.machinery.client.MachineClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bootstrap", description = "Founds the cluster's etcd on one control-plane node. Do this once per cluster.")
public final class BootstrapCommand extends NodeCommand {

    @Option(names = "--recover-from", description = "etcd snapshot to upload and restore from")
    Path recoverFrom;

    @Option(names = "--recover-skip-hash-check", description = "skip the snapshot integrity check (a copied data directory)")
    boolean skipHashCheck;

    @Override
    protected void run(MachineClient client, PrintWriter out) throws Exception {
        if (recoverFrom != null) {
            try (InputStream snapshot = Files.newInputStream(recoverFrom)) {
                client.etcdRecover(snapshot);
            }
        }
        client.bootstrap(recoverFrom != null, skipHashCheck);
        out.printf("%s: bootstrapped%n", client.node());
    }
}
