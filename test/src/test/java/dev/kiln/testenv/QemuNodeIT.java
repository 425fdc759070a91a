package dev.kiln.testenv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One VM over the machine API: builds the boot image (hack/image) into target/qemu-image and runs hack/qemu-node-demo
 * on it, which boots it under QEMU (TCG) with the machine API forwarded to 127.0.89.10:50000 and stops at the first
 * step that fails. Each test checks that one step's line was printed. A failsafe test, so it runs after the scenario
 * tests and the VM's CPU-bound emulation has the machine to itself; skipped, with the reason printed, only where QEMU
 * cannot run the image (no qemu-system-x86_64 after hack/setup, or not an x86-64 machine).
 */
class QemuNodeIT {

    private static final Path OUT = Path.of("target").toAbsolutePath();
    private static final Path IMAGE = OUT.resolve("qemu-image");
    // on two shared cores the image took 22 to 203 s and the VM steps 97 to 178 s (docs/testing.md): ample margin
    private static final Duration IMAGE_DEADLINE = Duration.ofMinutes(10);
    private static final Duration DEMO_DEADLINE = Duration.ofMinutes(20);
    private static final Pattern STEP = Pattern.compile("^\\[\\s*([0-9.]+) s] (.*)$");

    private record Step(Duration sinceVmStart, String text) {
    }

    private static final List<Step> steps = Collections.synchronizedList(new ArrayList<>());
    private static String failure = "";
    private static Optional<String> skipReason = Optional.empty();

    @BeforeAll
    static void bootOneVmThroughEveryStep() throws IOException, InterruptedException {
        skipReason = whyQemuCannotRun();
        if (skipReason.isPresent()) {
            System.out.println("QemuNodeIT SKIPPED: " + skipReason.get());
            return;
        }
        long start = System.nanoTime();
        Path imageLog = OUT.resolve("qemu-image.log");
        Run image = run(IMAGE_DEADLINE, imageLog, line -> { }, "hack/image", IMAGE.toString());
        if (!image.succeeded()) {
            failure = "hack/image failed (" + image.outcome() + "):\n" + Files.readString(imageLog);
            return;
        }
        Figures.print("qemu-node image-build", Figures.since(start));
        Path demoLog = OUT.resolve("qemu-node-demo.log");
        start = System.nanoTime();
        Run demo = run(DEMO_DEADLINE, demoLog, line -> {
            System.out.println("qemu-node-demo: " + line);
            Matcher step = STEP.matcher(line);
            if (step.matches()) {
                steps.add(new Step(Duration.ofMillis(Math.round(Double.parseDouble(step.group(1)) * 1000)),
                        step.group(2)));
            }
        }, "hack/qemu-node-demo", "--image", IMAGE.toString(), "--accel", "tcg");
        Figures.print("qemu-node demo", Figures.since(start));
        steps.forEach(step -> Figures.print("qemu-node step '" + step.text().replaceFirst(":.*", "") + "' at",
                step.sinceVmStart()));
        if (!demo.succeeded()) {
            failure = "hack/qemu-node-demo " + demo.outcome() + "; its output (console's last lines at the end):\n"
                    + Files.readString(demoLog);
        }
    }

    @BeforeEach
    void skippedOnlyWhereQemuCannotRun() {
        skipReason.ifPresent(Assumptions::abort);
    }

    @Test
    void versionInMaintenanceModeReportsPid1() {
        assertStep("maintenance mode: Version answered with pid 1");
    }

    @Test
    void applyConfigurationInstallsAndRebootsTheVm() {
        assertStep("ApplyConfiguration: installed, rebooted by reboot\\(2\\)");
    }

    @Test
    void rebootComesBackFromTheDiskSlotWithNodeInitAsPid1() {
        assertStep("configured mode from the disk: Version over mutual TLS: mode slot [AB], pid 1;");
    }

    @Test
    void bootstrapFormsAOneMemberEtcd() {
        assertStep("Bootstrap: one voting etcd member: ");
    }

    @Test
    void resetReturnsToMaintenanceModeAsPid1() {
        assertStep("Reset: back in maintenance mode, Version answered with pid 1");
    }

    /** The demo printed a step line starting with {@code regex}; it prints none after a failed step. */
    private static void assertStep(String regex) {
        Pattern expected = Pattern.compile("^" + regex);
        List<String> seen;
        synchronized (steps) {
            seen = steps.stream().map(Step::text).toList();
        }
        assertTrue(seen.stream().anyMatch(step -> expected.matcher(step).find()),
                () -> "no step line matching '" + regex + "'; steps: " + seen + "\n" + failure);
    }

    private static Optional<String> whyQemuCannotRun() {
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch) && !"x86_64".equals(arch)) {
            return Optional.of("the boot image holds this machine's JDK runtime and etcd, so it is built on x86-64 only; "
                    + "this machine is " + arch);
        }
        boolean onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "qemu-system-x86_64")));
        return onPath ? Optional.empty() : Optional.of("qemu-system-x86_64 is not on PATH; hack/setup installs it "
                + "(Debian's qemu-system-x86)");
    }

    private record Run(Integer exitCode, Duration deadline) {
        boolean succeeded() {
            return exitCode != null && exitCode == 0;
        }

        String outcome() {
            return exitCode == null ? "did not finish in " + deadline.toMinutes() + " min and was stopped"
                    : "exited with " + exitCode;
        }
    }

    /** Runs a hack script with both outputs in {@code log}, each standard output line also handed to {@code lines}. */
    private static Run run(Duration deadline, Path log, Consumer<String> lines, String script,
            String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HackScript.REPO.resolve(script).toString());
        command.addAll(List.of(args));
        Files.deleteIfExists(log);
        Path err = Path.of(log + ".stderr");
        Process process = new ProcessBuilder(command).directory(HackScript.REPO.toFile())
                .redirectError(err.toFile()).start();
        // the VM must not outlive this JVM when a run is stopped from outside
        Thread stopper = new Thread(() -> stop(process));
        Runtime.getRuntime().addShutdownHook(stopper);
        Thread pump = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    lines.accept(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "output of " + script);
        pump.start();
        boolean finished = process.waitFor(deadline.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            stop(process);
        }
        pump.join(TimeUnit.SECONDS.toMillis(30));
        Runtime.getRuntime().removeShutdownHook(stopper);
        Files.writeString(log, Files.exists(err) ? Files.readString(err) : "", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Files.deleteIfExists(err);
        return new Run(finished ? process.exitValue() : null, deadline);
    }

    /** Stops the script (SIGTERM: its exit trap stops QEMU and removes its work folder), then whatever it left. */
    private static void stop(Process process) {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroy();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        started.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
