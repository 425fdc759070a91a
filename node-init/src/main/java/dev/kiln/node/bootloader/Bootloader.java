package dev.kiln.node.bootloader;

import dev.kiln.node.NodeInit;
import dev.kiln.node.boot.ExitCode;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import dev.kiln.node.install.ClassArchive;
import dev.kiln.node.install.Installer;
import dev.kiln.node.install.ReleaseLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Plays the machine's bootloader: runs node-init from the slot META makes active, as a child JVM, boots again when
 * it exits with the reboot code, and takes an upgraded slot off trial or rolls it back per {@link BootDecision}.
 * Usage: {@code Bootloader --distribution JAR|CLASSPATH [--trial-attempts N] [--trial-timeout-seconds S] -- NODE-INIT-ARGS}.
 */
public final class Bootloader {

    /** The JVM options every node-init boot runs with; docs/upgrades.md (Footprint) gives the measurements. */
    public static final List<String> NODE_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx128m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:MaxMetaspaceSize=96m", "-Xss512k",
            "-XX:TieredStopAtLevel=1",
            // The class archive mapped where it was made: its pages stay clean (shared, reclaimable), none relocated.
            "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0",
            // Pooled Netty arenas keep megabytes of direct memory for a node's handful of connections.
            "-Dio.grpc.netty.useCustomAllocator=false", "-Dio.netty.allocator.type=unpooled",
            // The machine API trusts only the machine's CAs; release downloads read the runtime's store themselves.
            "-Djavax.net.ssl.trustStore=NONE",
            // Netty would unpack and map OpenSSL's library (2 MiB) for clients of the local etcd and of peers; they
            // take the JDK's TLS, as the machine API server does.
            "-Dio.netty.handler.ssl.noOpenSsl=true");

    /** Environment variable with more JVM options for node-init, space-separated, after the defaults (measuring). */
    public static final String EXTRA_OPTIONS_VARIABLE = "KILN_NODE_JAVA_OPTIONS";

    public static final String PREFIX = "bootloader: ";
    /** Printed when node-init asks for a reboot, as the shell launcher before the bootloader printed it. */
    public static final String REBOOT_LINE = "node-init: rebooting";

    /** Printed before every launch of node-init. */
    public static final String BOOT_LINE = "booting ";

    private final String distribution;
    private final TrialLimits limits;
    private final List<String> nodeArgs;
    private final Optional<DiskLayout> disk;
    private final List<String> extraOptions = extraOptions(System.getenv(EXTRA_OPTIONS_VARIABLE));
    private List<String> launchOptions = List.of();
    private volatile Process child;
    private volatile boolean stopping;

    Bootloader(String distribution, TrialLimits limits, List<String> nodeArgs) {
        this.distribution = distribution;
        this.limits = limits;
        // node-init runs in its release's directory (see ClassArchive), so its paths must not depend on this one.
        this.nodeArgs = NodeArgs.absolute(nodeArgs);
        this.disk = rootOf(this.nodeArgs).map(DiskLayout::new);
    }

    public static void main(String[] args) {
        try {
            Bootloader loader = parse(args);
            Runtime.getRuntime().addShutdownHook(new Thread(loader::stopChild, "bootloader-shutdown"));
            System.exit(loader.run());
        } catch (IllegalArgumentException e) {
            System.err.println("bootloader: " + e.getMessage());
            System.exit(2);
        }
    }

    public static Bootloader parse(String[] args) {
        String distribution = null;
        TrialLimits env = TrialLimits.fromEnvironment(System.getenv());
        int attempts = env.attempts();
        long timeoutSeconds = env.timeout().toSeconds();
        int i = 0;
        for (; i < args.length && !args[i].equals("--"); i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--distribution" -> distribution = required(args[i], value);
                case "--trial-attempts" -> attempts = (int) number(args[i], value);
                case "--trial-timeout-seconds" -> timeoutSeconds = number(args[i], value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (usage: --distribution JAR|CLASSPATH [--trial-attempts N] [--trial-timeout-seconds S] -- ARGS)");
            }
            i++;
        }
        if (distribution == null) {
            throw new IllegalArgumentException("--distribution is required");
        }
        List<String> nodeArgs = i < args.length ? List.of(args).subList(i + 1, args.length) : List.of();
        return new Bootloader(distribution, new TrialLimits(attempts, java.time.Duration.ofSeconds(timeoutSeconds)),
                nodeArgs);
    }

    private static long number(String option, String value) {
        try {
            return Long.parseLong(required(option, value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: '" + value + "'");
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** JVM options every launch of node-init gets after the defaults (the boot image's temp directory). */
    public Bootloader withLaunchOptions(List<String> options) {
        this.launchOptions = List.copyOf(options);
        return this;
    }

    /**
     * One boot: the slot chosen, with META (the boot attempt, trial or rollback) saved, node-init's command, and the
     * directory it must run in for its class archive to hold (empty: wherever).
     */
    public record Launch(BootDecision.Choice choice, List<String> command, Optional<Path> directory) {
        public Launch {
            command = List.copyOf(command);
        }

        /** When an unconfirmed trial ends this boot like a failed one. */
        public Optional<Long> trialDeadlineMillis() {
            return choice instanceof BootDecision.Boot boot ? boot.trialDeadlineMillis() : Optional.empty();
        }
    }

    /** Chooses the slot and records the boot in META, makes the release's class archive if missing: all but the start. */
    public Launch prepare() {
        BootDecision.Choice choice = choose();
        say(BOOT_LINE + choice.slot().map(slot -> "slot " + slot).orElse("the original distribution")
                + (onTrial() ? " on trial" : ""));
        release(choice.slot()).ifPresent(Bootloader::ensureClassArchive);
        return new Launch(choice, command(choice.slot()), directory(choice.slot()));
    }

    public int run() {
        while (true) {
            Launch launch = prepare();
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder(launch.command()).inheritIO();
                launch.directory().ifPresent(dir -> builder.directory(dir.toFile()));
                process = builder.start();
            } catch (IOException e) {
                say("cannot start node-init: " + e.getMessage());
                return ExitCode.FAILURE.code();
            }
            child = process;
            int code = await(process, launch);
            if (stopping) {
                return code;
            }
            if (code == ExitCode.REBOOT.code()) {
                System.out.println(REBOOT_LINE);
                System.out.flush();
                continue;
            }
            if (code != ExitCode.HALT.code() && onTrial()) {
                say("node-init on trial exited with " + code + "; booting again");
                continue;
            }
            return code;
        }
    }

    private BootDecision.Choice choose() {
        if (disk.isEmpty()) {
            return new BootDecision.Boot(Optional.empty(), Meta.fresh(), Optional.empty());
        }
        try {
            Files.createDirectories(disk.get().meta());
            BootDecision.Choice choice = BootDecision.decide(Meta.load(disk.get()), System.currentTimeMillis(), limits);
            choice.meta().save(disk.get());
            if (choice instanceof BootDecision.RollBack rollBack) {
                say(rollBack.message());
            }
            return choice;
        } catch (IOException e) {
            // An unreadable META cannot name a slot; the original distribution still boots and reports it.
            say("META unusable, booting the original distribution: " + e.getMessage());
            return new BootDecision.Boot(Optional.empty(), Meta.fresh(), Optional.empty());
        }
    }

    /** Waits for node-init; a trial still unconfirmed at its deadline is ended like a failed boot. */
    private int await(Process process, Launch launch) {
        Optional<Long> deadline = launch.trialDeadlineMillis();
        try {
            while (deadline.isPresent()) {
                long left = deadline.get() - System.currentTimeMillis();
                if (process.waitFor(Math.max(left, 0), TimeUnit.MILLISECONDS)) {
                    return process.exitValue();
                }
                if (!onTrial()) {
                    break;
                }
                if (System.currentTimeMillis() >= deadline.get()) {
                    say("trial not confirmed healthy by its deadline; stopping node-init");
                    killTree(process);
                    return ExitCode.FAILURE.code();
                }
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.FAILURE.code();
        }
    }

    private boolean onTrial() {
        try {
            return disk.isPresent() && Meta.load(disk.get()).trialPending().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Without a stored config node-init serves maintenance mode; a wrong guess costs only archive pages. */
    private boolean bootsIntoMaintenance() {
        return disk.isPresent() && !Files.isRegularFile(disk.get().configFile());
    }

    /** The directory node-init runs in: its release's when it runs with the release's class archive. */
    Optional<Path> directory(Optional<BootSlot> slot) {
        return archived(slot).map(ClassArchive::workingDirectory);
    }

    private Optional<ReleaseLayout> archived(Optional<BootSlot> slot) {
        return release(slot).filter(ReleaseLayout::hasRuntime).filter(r -> Files.isRegularFile(r.classArchive()));
    }

    List<String> command(Optional<BootSlot> slot) {
        List<String> command = new ArrayList<>();
        Optional<ReleaseLayout> release = release(slot).filter(ReleaseLayout::hasRuntime);
        command.add(release.map(r -> r.java().toAbsolutePath().toString())
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(NODE_JVM_OPTIONS);
        archived(slot).ifPresent(r -> command.addAll(ClassArchive.runOptions(r, bootsIntoMaintenance())));
        command.addAll(extraOptions);
        command.addAll(launchOptions);
        Optional<Path> slotDir = slot.flatMap(s -> disk.map(d -> d.boot(s)));
        Path slotJar = slotDir.map(dir -> dir.resolve(Installer.IMAGE_FILE)).orElse(null);
        Path slotClasses = slotDir.map(dir -> dir.resolve(Installer.CLASSES_FILE)).orElse(null);
        if (slotJar != null && Files.isRegularFile(slotJar)) {
            command.addAll(List.of("-jar", slotJar.toString()));
        } else if (slotClasses != null && Files.isRegularFile(slotClasses)) {
            command.addAll(List.of("-cp", readClassPath(slotClasses), NodeInit.class.getName()));
        } else if (distribution.endsWith(".jar") && Files.isRegularFile(Path.of(distribution))) {
            command.addAll(List.of("-jar", Path.of(distribution).toAbsolutePath().toString()));
        } else {
            command.addAll(List.of("-cp", distribution, NodeInit.class.getName()));
        }
        command.addAll(nodeArgs);
        return command;
    }

    /** The release node-init boots from: the slot's, or an unpacked release holding the original distribution. */
    Optional<ReleaseLayout> release(Optional<BootSlot> slot) {
        Optional<Path> slotDir = slot.flatMap(s -> disk.map(d -> d.boot(s)));
        if (slotDir.isPresent() && Files.isRegularFile(slotDir.get().resolve(Installer.IMAGE_FILE))) {
            return slotDir.map(ReleaseLayout::new);
        }
        if (slotDir.isPresent() && Files.isRegularFile(slotDir.get().resolve(Installer.CLASSES_FILE))) {
            return Optional.empty();
        }
        Path original = Path.of(distribution).toAbsolutePath();
        ReleaseLayout layout = new ReleaseLayout(original.getParent() == null ? original : original.getParent());
        return layout.jar().equals(original) ? Optional.of(layout) : Optional.empty();
    }

    /** A release with a runtime gets its class archive made before its first boot, where its jar lives. */
    private static void ensureClassArchive(ReleaseLayout release) {
        if (!release.hasRuntime() || Files.isRegularFile(release.classArchive())) {
            return;
        }
        say("making the class archive for " + release.dir());
        ClassArchive.Outcome outcome = ClassArchive.create(release);
        if (outcome instanceof ClassArchive.Created created) {
            say("class archives made in " + created.millis() + " ms: " + created.archives().stream()
                    .map(path -> path.getFileName().toString()).toList());
        } else if (outcome instanceof ClassArchive.NotApplicable skipped) {
            say("no class archive: " + skipped.reason());
        } else if (outcome instanceof ClassArchive.Failed failed) {
            say("no class archive, booting without: " + failed.reason());
        }
    }

    private String readClassPath(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            say("cannot read " + file + ", booting the original distribution: " + e.getMessage());
            return distribution;
        }
    }

    private void stopChild() {
        stopping = true;
        Process process = child;
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(handle -> handle.onExit().join());
    }

    private static List<String> extraOptions(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.strip().split("\\s+"));
    }

    private static Optional<Path> rootOf(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--root") && i + 1 < args.size()) {
                return Optional.of(Path.of(args.get(i + 1)));
            }
            if (args.get(i).startsWith("--root=")) {
                return Optional.of(Path.of(args.get(i).substring("--root=".length())));
            }
        }
        return Optional.empty();
    }

    private static void say(String message) {
        System.out.println(PREFIX + message);
        System.out.flush();
    }
}
