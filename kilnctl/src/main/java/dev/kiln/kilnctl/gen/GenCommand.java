package dev.kiln.kilnctl.gen;

import picocli.CommandLine.Command;

@Command(name = "gen", description = "Generates cluster secrets and machine configs.",
        subcommands = {GenSecretsCommand.class, GenConfigCommand.class})
public final class GenCommand {
}
