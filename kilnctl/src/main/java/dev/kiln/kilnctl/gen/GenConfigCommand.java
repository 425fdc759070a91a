package dev.kiln.kilnctl.gen;

import dev.kiln.kilnctl.ConfigFiles;
import dev.kiln.machinery.clientconfig.KilnConfig;
import dev.kiln.machinery.clientconfig.KilnContext;
import dev.kiln.machinery.config.ConfigGenerator;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.ConfigValidator;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.NetworkNames;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.InstallSection;
import dev.kiln.machinery.config.MachineType;
import dev.kiln.machinery.pki.SecretsBundle;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
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
        for (String san : additionalSans) {
            if (!NetworkNames.isSubjectAltName(san)) {
                throw new IllegalArgumentException("--additional-sans: " + san + " " + NetworkNames.SAN_MESSAGE);
            }
        }
        SecretsBundle secrets = withSecrets != null
                ? SecretsBundle.fromYaml(ConfigFiles.readText(withSecrets))
                : SecretsBundle.generate();
        ConfigGenerator.Options options = ConfigGenerator.Options.of(clusterName, endpoint)
                .withCertSans(additionalSans)
                .withEtcdPeers(etcdPeers)
                .withInstall(new InstallSection(installDisk, installImage, false));
        MachineConfig controlPlane = ConfigGenerator.generate(secrets, MachineType.CONTROLPLANE, options);
        MachineConfig worker = ConfigGenerator.generate(secrets, MachineType.WORKER, options);
        refuseInvalid(controlPlane);
        refuseInvalid(worker);
        String host = URI.create(endpoint).getHost();
        KilnConfig client = KilnConfig.of("admin@" + clusterName,
                KilnContext.forAdmin(secrets, List.of(host == null ? endpoint : host)));

        Files.createDirectories(output);
        List<Path> targets = List.of(output.resolve("secrets.yaml"), output.resolve("controlplane.yaml"),
                output.resolve("worker.yaml"), output.resolve("kilnconfig"));
        for (Path target : targets) {
            KeyFiles.checkWritable(target, force);
        }
        if (withSecrets == null) {
            KeyFiles.write(targets.get(0), secrets.toYaml(), force);
        }
        KeyFiles.write(targets.get(1), new ConfigWriter().write(controlPlane), force);
        KeyFiles.write(targets.get(2), new ConfigWriter().write(worker), force);
        KeyFiles.write(targets.get(3), client.toYaml(), force);
        for (Path target : targets) {
            if (Files.exists(target)) {
                spec.commandLine().getOut().println("created " + target);
            }
        }
        return 0;
    }

    /** The first problem of a generated config, named by the argument it came from. */
    private static void refuseInvalid(MachineConfig config) {
        List<ConfigProblem> problems = new ConfigValidator().validate(config);
        if (!problems.isEmpty()) {
            ConfigProblem first = problems.get(0);
            throw new IllegalArgumentException(argumentOf(first.path()) + ": " + first.message());
        }
    }

    private static String argumentOf(String path) {
        if (path.startsWith("cluster.controlPlane")) {
            return "ENDPOINT";
        }
        if (path.startsWith("cluster.clusterName")) {
            return "NAME";
        }
        if (path.startsWith("cluster.etcd.peers")) {
            return "--etcd-peers";
        }
        if (path.startsWith("machine.certSANs")) {
            return "--additional-sans";
        }
        if (path.startsWith("machine.install")) {
            return "--install-disk";
        }
        return path;
    }
}
