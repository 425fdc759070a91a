package dev.kiln.kilnctl;

import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.ParseResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Checks a machine config and prints every problem with its path.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "machine config to check")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ParseResult result = new ConfigParser().parse(ConfigFiles.readText(file));
        if (result instanceof ParseResult.Invalid invalid) {
            for (ConfigProblem problem : invalid.problems()) {
                spec.commandLine().getErr().println(file + ": " + problem);
            }
            return 1;
        }
        spec.commandLine().getOut().println(file + " is valid");
        return 0;
    }
}
