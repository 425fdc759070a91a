package dev.kiln.kilnctl;

import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.NodeConfigRules;
import dev.kiln.machinery.config.ParseResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "validate", description = "Checks a machine config, with the rules a Kiln node applies on "
        + "ApplyConfiguration, and prints every error and warning with its path. "
        + "Exits 0 with warnings only (valid Talos that Kiln does not act on), 1 with any error.")
public final class ValidateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "machine config to check")
    Path file;

    @Option(names = "--strict", description = "treat warnings as errors")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ParseResult result = new ConfigParser().parse(ConfigFiles.readText(file));
        // The rules a Kiln node adds on ApplyConfiguration, so that what validates here is what a node accepts.
        List<ConfigProblem> errors = result instanceof ParseResult.Invalid invalid ? invalid.problems()
                : NodeConfigRules.problems(((ParseResult.Parsed) result).config());
        PrintWriter err = spec.commandLine().getErr();
        errors.forEach(problem -> err.println(file + ": error: " + problem));
        String warningLabel = strict ? ": error (--strict): " : ": warning: ";
        result.warnings().forEach(problem -> err.println(file + warningLabel + problem));
        if (!errors.isEmpty() || (strict && !result.warnings().isEmpty())) {
            return 1;
        }
        spec.commandLine().getOut().println(file + " is valid"
                + (result.warnings().isEmpty() ? "" : " (" + result.warnings().size() + " warnings)"));
        return 0;
    }
}
