package dev.kiln.kilnctl.gen;

import picocli.CommandLine.Command;

@Command(name = "gen", description = "Generates cluster secrets and machine configs.",
        subcommands = {GenConfigCommand.class})
public final class GenCommand {
}
