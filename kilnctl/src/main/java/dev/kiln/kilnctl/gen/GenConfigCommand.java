package dev.kiln.kilnctl.gen;

import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.InstallSection;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.SecretsBundle;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "config", description = "Writes secrets.yaml, controlplane.yaml, worker.yaml and kilnconfig.")
public final class GenConfigCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "cluster name")
    String clusterName;

    @Parameters(index = "1", paramLabel = "ENDPOINT", description = "control plane endpoint, https://host:port")
    String endpoint;

    @Option(names = {"-o", "--output"}, description = "directory to write into (default: current directory)")
    Path output = Path.of(".");

    @Option(names = "--with-secrets", description = "reuse a secrets bundle instead of generating one")
    Path withSecrets;

    @Option(names = "--install-disk", description = "disk to install to (default: ${DEFAULT-VALUE})")
    String installDisk = "/dev/sda";

    @Option(names = "--install-image", description = "installer image (default: ${DEFAULT-VALUE})")
    String installImage = "kiln/installer:latest";

    @Option(names = "--additional-sans", split = ",", description = "extra SANs for the machine API certificate")
    List<String> additionalSans = new ArrayList<>();

    @Option(names = "--etcd-peers", split = ",", description = "etcd client URLs of control-plane peers")
    List<String> etcdPeers = new ArrayList<>();

    @Option(names = "--force", description = "overwrite existing files")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        SecretsBundle secrets = withSecrets != null
                ? SecretsBundle.fromYaml(Files.readString(withSecrets))
                : SecretsBundle.generate();
        ConfigGenerator.Options options = ConfigGenerator.Options.of(clusterName, endpoint)
                .withCertSans(additionalSans)
                .withEtcdPeers(etcdPeers)
                .withInstall(new InstallSection(installDisk, installImage, false));
        String host = URI.create(endpoint).getHost();
        KilnConfig client = KilnConfig.of("admin@" + clusterName,
                KilnContext.forAdmin(secrets, List.of(host == null ? endpoint : host)));

        Files.createDirectories(output);
        List<Path> targets = List.of(output.resolve("secrets.yaml"), output.resolve("controlplane.yaml"),
                output.resolve("worker.yaml"), output.resolve("kilnconfig"));
        for (Path target : targets) {
            if (Files.exists(target) && !force) {
                throw new IllegalArgumentException(target + " already exists (use --force to overwrite)");
            }
        }
        if (withSecrets == null) {
            write(targets.get(0), secrets.toYaml());
        }
        write(targets.get(1), new ConfigWriter().write(ConfigGenerator.generate(secrets, MachineType.CONTROLPLANE, options)));
        write(targets.get(2), new ConfigWriter().write(ConfigGenerator.generate(secrets, MachineType.WORKER, options)));
        client.save(targets.get(3));
        for (Path target : targets) {
            if (Files.exists(target)) {
                spec.commandLine().getOut().println("created " + target);
            }
        }
        return 0;
    }

    private static void write(Path target, String text) throws IOException {
        Files.writeString(target, text, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        try {
            Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // Non-POSIX file systems keep their default permissions.
        }
    }
}
