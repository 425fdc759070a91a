package dev.kiln.kilnctl.node;

import dev.kiln.kilnctl.ConfigFiles;
import dev.kiln.machinery.api.machine.ApplyConfiguration;
import dev.kiln.machinery.api.machine.ApplyConfigurationRequest;
import dev.kiln.machinery.client.ClientCredentials;
import dev.kiln.machinery.client.MachineClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply-config", description = "Applies a machine config to nodes; --insecure reaches nodes in maintenance mode.")
public final class ApplyConfigCommand extends NodeCommand {

    @Option(names = {"-f", "--file"}, required = true, description = "machine config to apply")
    Path file;

    @Option(names = {"-m", "--mode"}, description = "auto, no-reboot, reboot, staged or try (default: ${DEFAULT-VALUE})")
    String mode = "auto";

    @Option(names = "--dry-run", description = "check and report what would happen, change nothing")
    boolean dryRun;

    @Option(names = "--timeout", description = "try mode: how long before the node rolls back, e.g. 90s, 5m "
            + "(a bare number is seconds; default: 1m)")
    Duration tryTimeout = Duration.ofMinutes(1);

    @Option(names = {"-i", "--insecure"}, description = "maintenance mode: no client certificate")
    boolean insecure;

    @Option(names = "--cert-fingerprint", description = "maintenance mode: SHA-256 fingerprint of the node's certificate to pin")
    String fingerprint;

    private byte[] configBytes;

    @Override
    public Integer call() throws Exception {
        configBytes = ConfigFiles.readBytes(file);
        ConfigFiles.decode(file, configBytes);
        if (!insecure) {
            return super.call();
        }
        if (nodeOptions.nodes().isEmpty() && nodeOptions.endpoints().isEmpty()) {
            throw new IllegalArgumentException("--insecure needs -n/--nodes");
        }
        ClientCredentials credentials = fingerprint == null
                ? ClientCredentials.Maintenance.unpinned() : ClientCredentials.Maintenance.pinned(fingerprint);
        return onEachNode(nodeOptions.targetsWithoutContext("apply-config --insecure"),
                node -> MachineClient.connect(node, credentials));
    }

    @Override
    protected void run(MachineClient client, PrintWriter out) throws Exception {
        ApplyConfiguration reply = client.applyConfiguration(configBytes, parseMode(),
                dryRun, tryTimeout);
        out.printf("%s: applied (%s): %s%n", client.node(), reply.getMode(), reply.getModeDetails());
        reply.getWarningsList().forEach(warning -> out.printf("%s: warning: %s%n", client.node(), warning));
    }

    private ApplyConfigurationRequest.Mode parseMode() {
        switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "auto": return ApplyConfigurationRequest.Mode.AUTO;
            case "no-reboot": return ApplyConfigurationRequest.Mode.NO_REBOOT;
            case "reboot": return ApplyConfigurationRequest.Mode.REBOOT;
            case "staged": return ApplyConfigurationRequest.Mode.STAGED;
            case "try": return ApplyConfigurationRequest.Mode.TRY;
            default: throw new IllegalArgumentException("--mode " + mode + ": must be auto, no-reboot, reboot, staged or try");
        }
    }
}
