package dev.kiln.testenv;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N machines as processes (test support): each a node-init under the product's launcher {@code hack/node-init} (which
 * boots the installed slot and starts node-init again on the reboot exit code), on its own loopback address
 * {@code <subnet>.i}, in maintenance mode, registered as a free clean KilnServer {@code server-i} with the labels given for i.
 */
public final class Machines implements AutoCloseable {

    private static final Pattern FINGERPRINT = Pattern.compile("certificate fingerprint ([0-9a-f]{64})");
    public static final int PORT = 50000;

    /** One machine: its launcher process, address and console log. */
    public record Machine(String name, String address, Path root, Path console, Process launcher) {

        public String endpoint() {
            return address + ":" + PORT;
        }

        public String consoleText() {
            try {
                return Files.exists(console) ? Files.readString(console) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The fingerprint printed most recently, or null. */
        public String lastFingerprint() {
            Matcher matcher = FINGERPRINT.matcher(consoleText());
            String last = null;
            while (matcher.find()) {
                last = matcher.group(1);
            }
            return last;
        }
    }

    private final List<Machine> machines;

    private Machines(List<Machine> machines) {
        this.machines = machines;
    }

    /**
     * Starts {@code count} machines on {@code subnet.1} .. {@code subnet.count} (subnet e.g. {@code 127.0.50}), waits for
     * each maintenance fingerprint, and registers a KilnServer per machine in {@code namespace}.
     */
    public static Machines start(Path repo, Path workDir, String subnet, int count, KubernetesClient client,
            String namespace, IntFunction<Map<String, String>> labels) {
        return start(repo, workDir, subnet, count, client, namespace, labels, List.of());
    }

    /** As above, each node-init also given {@code nodeArgs} (e.g. {@code --download-ca FILE}) on every boot. */
    public static Machines start(Path repo, Path workDir, String subnet, int count, KubernetesClient client,
            String namespace, IntFunction<Map<String, String>> labels, List<String> nodeArgs) {
        List<String> names = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            names.add("server-" + i);
            addresses.add(subnet + "." + i);
        }
        Machines machines = launch(repo, workDir, names, addresses, nodeArgs);
        try {
            for (Machine machine : machines.machines) {
                register(client, namespace, machine, awaitFingerprint(machine, Duration.ofSeconds(60)),
                        labels.apply(machines.machines.indexOf(machine) + 1));
            }
            return machines;
        } catch (RuntimeException | Error e) {
            machines.close();
            throw e;
        }
    }

    /** Starts one machine per name on the address at the same index, in maintenance mode, registered nowhere. */
    public static Machines launch(Path repo, Path workDir, List<String> names, List<String> addresses) {
        return launch(repo, workDir, names, addresses, List.of());
    }

    /** As above, each node-init also given {@code nodeArgs} on every boot. */
    public static Machines launch(Path repo, Path workDir, List<String> names, List<String> addresses,
            List<String> nodeArgs) {
        Path launcher = repo.resolve("hack/node-init");
        Path jar = repo.resolve("node-init/target/node-init-0.1.0-SNAPSHOT-all.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (mvn -B -DskipTests package)");
        }
        List<Machine> started = new ArrayList<>();
        Machines machines = new Machines(started);
        try {
            Files.createDirectories(workDir);
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                String address = addresses.get(i);
                Path root = workDir.resolve(name);
                Path console = workDir.resolve(name + ".console.log");
                Files.createDirectories(root);
                List<String> command = new ArrayList<>(List.of(launcher.toString(), "--root", root.toString(),
                        "--listen", address + ":" + PORT, "--hostname", name));
                command.addAll(nodeArgs);
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
                        .start();
                started.add(new Machine(name, address, root, console, process));
            }
            return machines;
        } catch (IOException e) {
            machines.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            machines.close();
            throw e;
        }
    }

    /** The maintenance certificate fingerprint the machine prints once its machine API listens. */
    public static String awaitFingerprint(Machine machine, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            String fingerprint = machine.lastFingerprint();
            if (fingerprint != null) {
                return fingerprint;
            }
            if (!machine.launcher().isAlive()) {
                throw new IllegalStateException(machine.name() + " exited with " + machine.launcher().exitValue()
                        + " before maintenance mode; console " + machine.console() + ":\n" + machine.consoleText());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException(machine.name() + " printed no maintenance fingerprint within " + within
                + "; console " + machine.console() + ":\n" + machine.consoleText());
    }

    private static void register(KubernetesClient client, String namespace, Machine machine, String fingerprint,
            Map<String, String> labels) {
        KilnServer server = new KilnServer();
        server.setMetadata(new ObjectMetaBuilder().withName(machine.name()).withNamespace(namespace)
                .withLabels(labels).build());
        server.setSpec(new KilnServerSpec(machine.endpoint(), fingerprint));
        client.resource(server).create();
        client.resources(KilnServer.class).inNamespace(namespace).withName(machine.name()).editStatus(current -> {
            KilnServerStatus status = new KilnServerStatus();
            status.setClean(true);
            status.setInUse(false);
            status.setMaintenance(true);
            current.setStatus(status);
            return current;
        });
    }

    public List<Machine> list() {
        return List.copyOf(machines);
    }

    public Machine byAddress(String address) {
        String host = address.contains(":") ? address.substring(0, address.indexOf(':')) : address;
        return machines.stream().filter(m -> m.address().equals(host)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no machine at " + address));
    }

    /**
     * Crashes a machine: SIGKILL at once to its launcher, node-init and etcd, so nothing is left to restart it and
     * nothing shuts down gracefully. Its root directory stays as it was at that moment.
     */
    public void kill(Machine machine) {
        if (!machines.contains(machine)) {
            throw new IllegalArgumentException(machine.name() + " is not one of these machines");
        }
        ProcessTrees.kill(machine.launcher().toHandle());
    }

    /** Stops every launcher, node-init and etcd this started. */
    @Override
    public void close() {
        List<Thread> stoppers = new ArrayList<>();
        for (Machine machine : machines) {
            Thread stopper = new Thread(() -> ProcessTrees.stop(machine.launcher().toHandle(), 5_000),
                    "stop-" + machine.name());
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
