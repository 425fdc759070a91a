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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "config", description = {"Writes secrets.yaml, controlplane.yaml, worker.yaml and kilnconfig.",
        "With --with-secrets, reuses a bundle from `kilnctl gen secrets` and writes no secrets.yaml."})
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

    @Option(names = "--config-patch", paramLabel = "@FILE|PATCH", description = "patch for both configs, from a file "
            + "(@file) or inline; an RFC 6902 JSON patch (a list) or a strategic merge patch (a partial config, JSON "
            + "or YAML); repeatable, applied in order")
    List<String> configPatches = new ArrayList<>();

    @Option(names = "--config-patch-control-plane", paramLabel = "@FILE|PATCH",
            description = "patch for controlplane.yaml only, applied after --config-patch; repeatable")
    List<String> controlPlanePatches = new ArrayList<>();

    @Option(names = "--config-patch-worker", paramLabel = "@FILE|PATCH",
            description = "patch for worker.yaml only, applied after --config-patch; repeatable")
    List<String> workerPatches = new ArrayList<>();

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
        List<ConfigPatchArgument> common = read("--config-patch", configPatches);
        String controlPlaneYaml = ConfigPatchArgument.applyAll(new ConfigWriter().write(controlPlane),
                concat(common, read("--config-patch-control-plane", controlPlanePatches)));
        String workerYaml = ConfigPatchArgument.applyAll(new ConfigWriter().write(worker),
                concat(common, read("--config-patch-worker", workerPatches)));
        String host = URI.create(endpoint).getHost();
        KilnConfig client = KilnConfig.of("admin@" + clusterName,
                KilnContext.forAdmin(secrets, List.of(host == null ? endpoint : host)));

        Files.createDirectories(output);
        // With --with-secrets no secrets.yaml is written, so the bundle may well sit where it would go.
        Map<Path, String> files = new LinkedHashMap<>();
        if (withSecrets == null) {
            files.put(output.resolve("secrets.yaml"), secrets.toYaml());
        }
        files.put(output.resolve("controlplane.yaml"), controlPlaneYaml);
        files.put(output.resolve("worker.yaml"), workerYaml);
        files.put(output.resolve("kilnconfig"), client.toYaml());
        for (Path target : files.keySet()) {
            KeyFiles.checkWritable(target, force);
        }
        for (Map.Entry<Path, String> file : files.entrySet()) {
            KeyFiles.write(file.getKey(), file.getValue(), force);
            spec.commandLine().getOut().println("created " + file.getKey());
        }
        return 0;
    }

    private static List<ConfigPatchArgument> read(String flag, List<String> values) throws IOException {
        List<ConfigPatchArgument> patches = new ArrayList<>();
        for (String value : values) {
            patches.add(ConfigPatchArgument.read(flag, value));
        }
        return patches;
    }

    private static List<ConfigPatchArgument> concat(List<ConfigPatchArgument> first, List<ConfigPatchArgument> then) {
        List<ConfigPatchArgument> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
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
