package dev.kiln.kilnctl.gen;

import dev.kiln.machinery.pki.SecretsBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "secrets", description = {"Writes a new secrets bundle: the cluster's CAs and keys.",
        "Pass it to `kilnctl gen config --with-secrets` to generate configs that share it."})
public final class GenSecretsCommand implements Callable<Integer> {

    @Option(names = {"-o", "--output-file"}, description = "file to write (default: ${DEFAULT-VALUE})")
    Path outputFile = Path.of("secrets.yaml");

    @Option(names = "--force", description = "overwrite an existing file")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        KeyFiles.write(outputFile, SecretsBundle.generate().toYaml(), force);
        spec.commandLine().getOut().println("created " + outputFile);
        return 0;
    }
}
