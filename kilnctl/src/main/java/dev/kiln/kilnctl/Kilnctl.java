package dev.kiln.kilnctl;

import dev.kiln.kilnctl.gen.GenCommand;
import dev.kiln.kilnctl.node.ApplyConfigCommand;
import dev.kiln.kilnctl.node.BootstrapCommand;
import dev.kiln.kilnctl.node.EtcdCommand;
import dev.kiln.kilnctl.node.EventsCommand;
import dev.kiln.kilnctl.node.HealthCommand;
import dev.kiln.kilnctl.node.LogsCommand;
import dev.kiln.kilnctl.node.NodeOptions;
import dev.kiln.kilnctl.node.RebootCommand;
import dev.kiln.kilnctl.node.ResetCommand;
import dev.kiln.kilnctl.node.RollbackCommand;
import dev.kiln.kilnctl.node.ServicesCommand;
import dev.kiln.kilnctl.node.UpgradeCommand;
import dev.kiln.kilnctl.node.VersionCommand;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "kilnctl", mixinStandardHelpOptions = true, version = "kilnctl " + Kilnctl.VERSION,
        description = "Generates and checks Kiln machine configs and drives Kiln nodes over the machine API.",
        subcommands = {GenCommand.class, ValidateCommand.class, VersionCommand.class, ApplyConfigCommand.class,
                BootstrapCommand.class, EtcdCommand.class, ServicesCommand.class, LogsCommand.class,
                EventsCommand.class, ResetCommand.class, RebootCommand.class, UpgradeCommand.class,
                RollbackCommand.class, HealthCommand.class})
public final class Kilnctl {

    public static final String VERSION = "0.1.0";

    // Node flags given before the command, as talosctl's global flags are; node commands read them from here.
    @Mixin
    private NodeOptions nodeOptions;

    public NodeOptions nodeOptions() {
        return nodeOptions;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        // @file belongs to --config-patch, as in talosctl, not to picocli's argument files.
        return new CommandLine(new Kilnctl()).setExpandAtFiles(false)
                .registerConverter(Duration.class, new DurationConverter())
                .setExecutionExceptionHandler((error, command, parseResult) -> {
            command.getErr().println("error: " + error.getMessage());
            return 1;
        });
    }
}
