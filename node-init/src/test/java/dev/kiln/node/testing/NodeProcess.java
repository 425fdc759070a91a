package dev.kiln.node.testing;

import dev.kiln.node.NodeInit;
import dev.kiln.node.boot.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node-init process as a machine would run it: its own JVM on its own root, started again whenever it exits with
 * the reboot code. Test support; the product's launcher is hack/node-init.
 */
public final class NodeProcess implements AutoCloseable {

    private static final Pattern FINGERPRINT = Pattern.compile("certificate fingerprint ([0-9a-f]{64})");

    private final Path root;
    private final String address;
    private final int port;
    private final String hostname;
    private final Path console;
    private final List<String> launchPrefix;
    private final Thread launcher;
    private volatile Process current;
    private volatile boolean stopping;
    private volatile int boots;
    private volatile Integer lastExit;

    private NodeProcess(Path root, String address, int port, String hostname, List<String> launchPrefix)
            throws IOException {
        this.launchPrefix = List.copyOf(launchPrefix);
        this.root = root;
        this.address = address;
        this.port = port;
        this.hostname = hostname;
        Files.createDirectories(root);
        this.console = root.resolveSibling(root.getFileName() + ".console.log");
        this.launcher = new Thread(this::bootLoop, "launcher-" + hostname);
        this.launcher.setDaemon(true);
    }

    public static NodeProcess start(Path root, String address, String hostname) throws IOException {
        return startWith(root, address, hostname, List.of());
    }

    /** Starts node-init inside a network namespace, as a machine on its own network link. */
    public static NodeProcess startInNetns(Path root, String address, String hostname, String netns)
            throws IOException {
        return startWith(root, address, hostname, List.of("ip", "netns", "exec", netns));
    }

    private static NodeProcess startWith(Path root, String address, String hostname, List<String> prefix)
            throws IOException {
        NodeProcess node = new NodeProcess(root, address, 50000, hostname, prefix);
        node.launcher.start();
        return node;
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(launchPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx128m", "-XX:MaxMetaspaceSize=96m", "-Xss512k", "-XX:TieredStopAtLevel=1"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NodeInit.class.getName());
        command.addAll(List.of("--root", root.toString(), "--listen", address + ":" + port, "--hostname", hostname));
        return command;
    }

    private void bootLoop() {
        try {
            while (!stopping) {
                Process process = new ProcessBuilder(command())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
                        .start();
                current = process;
                boots++;
                int code = process.waitFor();
                lastExit = code;
                if (code != ExitCode.REBOOT.code()) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public String hostname() {
        return hostname;
    }

    public Path root() {
        return root;
    }

    public int boots() {
        return boots;
    }

    /** The running JVM's threads, as the kernel counts them. */
    public int threadCount() throws IOException {
        Process process = current;
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException(hostname + " is not running");
        }
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).strip());
            }
        }
        throw new IllegalStateException("no thread count for " + hostname);
    }

    public Optional<Integer> lastExit() {
        return Optional.ofNullable(lastExit);
    }

    public String etcdClientUrl() {
        return "https://" + address + ":2379";
    }

    public String consoleText() throws IOException {
        return Files.exists(console) ? Files.readString(console) : "";
    }

    /** The maintenance fingerprint this node printed most recently. */
    public String awaitFingerprint(Duration within) throws Exception {
        return Await.until("maintenance fingerprint from " + hostname, within, () -> {
            Matcher matcher = FINGERPRINT.matcher(consoleText());
            String last = null;
            while (matcher.find()) {
                last = matcher.group(1);
            }
            return Optional.ofNullable(last);
        });
    }

    /** Kills the JVM with SIGKILL and leaves its children (etcd) running, as a crash would. */
    public void killHard() throws InterruptedException {
        stopping = true;
        Process process = current;
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
        launcher.join(5000);
    }

    /** Kills the JVM and every process it started at the same instant, as a power loss would. */
    public void killWithChildren() throws InterruptedException {
        stopping = true;
        Process process = current;
        List<ProcessHandle> tree = new ArrayList<>();
        if (process != null) {
            tree.addAll(process.descendants().toList());
            tree.add(process.toHandle());
        }
        // No waiting in between: a child left alive for a moment could still write to the disk.
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : tree) {
            handle.onExit().join();
        }
        launcher.join(5000);
    }

    /** Starts node-init again on the same root after a kill. */
    public NodeProcess restart() throws IOException {
        return startWith(root, address, hostname, launchPrefix);
    }

    @Override
    public void close() throws InterruptedException {
        killWithChildren();
    }
}
