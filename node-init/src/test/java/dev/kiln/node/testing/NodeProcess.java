package dev.kiln.node.testing;

import dev.kiln.node.bootloader.Bootloader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A node-init process as a machine would run it: the bootloader in its own JVM on its own root, running node-init from
 * the active slot and again whenever it exits with the reboot code. Test support; the product's launcher,
 * hack/node-init, runs the same bootloader.
 */
public final class NodeProcess implements AutoCloseable {

    private static final Pattern FINGERPRINT = Pattern.compile("certificate fingerprint ([0-9a-f]{64})");

    private final Path root;
    private final String address;
    private final int port;
    private final String hostname;
    private final Path console;
    private final List<String> launchPrefix;
    private final Options options;
    private final long consoleStart;
    private final Thread launcher;
    private volatile Process current;
    private volatile Integer lastExit;

    /** Environment for the bootloader (e.g. trial limits) and extra node-init arguments. */
    public record Options(Map<String, String> env, List<String> nodeArgs) {
        public static Options none() {
            return new Options(Map.of(), List.of());
        }
    }

    private NodeProcess(Path root, String address, int port, String hostname, List<String> launchPrefix,
            Options options) throws IOException {
        this.launchPrefix = List.copyOf(launchPrefix);
        this.options = options;
        this.root = root;
        this.address = address;
        this.port = port;
        this.hostname = hostname;
        Files.createDirectories(root);
        this.console = root.resolveSibling(root.getFileName() + ".console.log");
        this.consoleStart = Files.exists(console) ? Files.size(console) : 0;
        this.launcher = new Thread(this::bootLoop, "launcher-" + hostname);
        this.launcher.setDaemon(true);
    }

    public static NodeProcess start(Path root, String address, String hostname) throws IOException {
        return startWith(root, address, hostname, List.of(), Options.none());
    }

    public static NodeProcess start(Path root, String address, String hostname, Options options) throws IOException {
        return startWith(root, address, hostname, List.of(), options);
    }

    /** Starts node-init inside a network namespace, as a machine on its own network link. */
    public static NodeProcess startInNetns(Path root, String address, String hostname, String netns)
            throws IOException {
        return startWith(root, address, hostname, List.of("ip", "netns", "exec", netns), Options.none());
    }

    private static NodeProcess startWith(Path root, String address, String hostname, List<String> prefix,
            Options options) throws IOException {
        NodeProcess node = new NodeProcess(root, address, 50000, hostname, prefix, options);
        node.launcher.start();
        return node;
    }

    private List<String> command() {
        List<String> command = new ArrayList<>(launchPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx32m", "-XX:TieredStopAtLevel=1"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Bootloader.class.getName());
        command.addAll(List.of("--distribution", System.getProperty("java.class.path"), "--"));
        command.addAll(List.of("--root", root.toString(), "--listen", address + ":" + port, "--hostname", hostname));
        command.addAll(options.nodeArgs());
        return command;
    }

    private void bootLoop() {
        try {
            ProcessBuilder builder = new ProcessBuilder(command())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
            builder.environment().putAll(options.env());
            Process process = builder.start();
            current = process;
            lastExit = process.waitFor();
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

    /** How many times the bootloader started node-init since this process was started. */
    public int boots() {
        try {
            byte[] bytes = Files.exists(console) ? Files.readAllBytes(console) : new byte[0];
            int from = (int) Math.min(consoleStart, bytes.length);
            String since = new String(bytes, from, bytes.length - from, java.nio.charset.StandardCharsets.UTF_8);
            return (int) since.lines().filter(line -> line.startsWith(Bootloader.PREFIX + Bootloader.BOOT_LINE)).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The running node-init JVM's threads, as the kernel counts them. */
    public int threadCount() throws IOException {
        Optional<ProcessHandle> nodeInit = nodeInit();
        if (nodeInit.isEmpty()) {
            throw new IllegalStateException(hostname + " is not running");
        }
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(nodeInit.get().pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).strip());
            }
        }
        throw new IllegalStateException("no thread count for " + hostname);
    }

    /** The process ID of the node-init JVM the bootloader runs now. */
    public long nodeInitPid() {
        return nodeInit().orElseThrow(() -> new IllegalStateException(hostname + " is not running")).pid();
    }

    public Optional<Integer> lastExit() {
        return Optional.ofNullable(lastExit);
    }

    public String etcdClientUrl() {
        return "https://" + address + ":2379";
    }

    /** The sha256 of every file in META and both boot slots, by path under the node's root. */
    public Map<String, String> slotsAndMeta() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String dir : List.of("META", "BOOT-A", "BOOT-B")) {
            try (Stream<Path> walk = Files.walk(root.resolve(dir))) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files.put(root.relativize(file).toString(),
                            TestReleases.sha256(Files.readAllBytes(file)));
                }
            }
        }
        return files;
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

    /** Freezes node-init's JVM with SIGSTOP: its socket still accepts connections, but nothing answers. */
    public void freeze() throws IOException, InterruptedException {
        signalNodeInit("STOP");
    }

    /** Lets a frozen node-init run again with SIGCONT. */
    public void thaw() throws IOException, InterruptedException {
        signalNodeInit("CONT");
    }

    private void signalNodeInit(String signal) throws IOException, InterruptedException {
        ProcessHandle nodeInit = nodeInit().orElseThrow(() -> new IllegalStateException(hostname + " is not running"));
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(nodeInit.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + nodeInit.pid() + " failed");
        }
    }

    /** The node-init JVM the bootloader runs now, if any. */
    private Optional<ProcessHandle> nodeInit() {
        Process process = current;
        return process == null || !process.isAlive() ? Optional.empty() : process.children().findFirst();
    }

    /** Kills node-init's JVM (and its bootloader) with SIGKILL and leaves its children (etcd) running, as a crash would. */
    public void killHard() throws InterruptedException {
        Process process = current;
        if (process != null) {
            List<ProcessHandle> jvms = new ArrayList<>(process.children().toList());
            jvms.add(process.toHandle());
            jvms.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle handle : jvms) {
                handle.onExit().join();
            }
        }
        launcher.join(5000);
    }

    /** Kills the JVM and every process it started at the same instant, as a power loss would. */
    public void killWithChildren() throws InterruptedException {
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
        return startWith(root, address, hostname, launchPrefix, options);
    }

    @Override
    public void close() throws InterruptedException {
        killWithChildren();
    }
}
