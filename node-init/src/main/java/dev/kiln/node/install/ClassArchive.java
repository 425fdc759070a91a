package dev.kiln.node.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes a release's CDS class archive on the machine, with the release's own runtime. The archive records the jar's
 * path as the dump saw it and the jar's size and time; the dump runs in the release's directory with the jar's bare
 * name, and node-init runs with that directory as its working directory ({@link #workingDirectory}), so the archive
 * holds for any copy of the release that keeps the jar's time ({@link Installer} copies it into a boot slot). The
 * runtime makes it byte for byte differently from run to run, so it is not shipped.
 */
public final class ClassArchive {

    /** Options the archive is made with; node-init runs with the same collector so the archive maps. */
    public static final List<String> DUMP_OPTIONS = List.of("-XX:+UseSerialGC", "-Xshare:dump");
    private static final long TIMEOUT_SECONDS = 300;

    /** What {@link #create} did. */
    public sealed interface Outcome permits Created, NotApplicable, Failed {
    }

    public record Created(Path archive, long millis) implements Outcome {
    }

    /** The release has no runtime or class list (format 1): it runs without an archive. */
    public record NotApplicable(String reason) implements Outcome {
    }

    public record Failed(String reason) implements Outcome {
    }

    private ClassArchive() {
    }

    /** The options that make node-init's JVM use the layout's archive. */
    public static List<String> runOptions(ReleaseLayout layout) {
        return List.of("-XX:SharedArchiveFile=" + layout.classArchive().toAbsolutePath());
    }

    /** node-init's working directory when it runs with the layout's archive: the jar's path there is its name. */
    public static Path workingDirectory(ReleaseLayout layout) {
        return layout.dir().toAbsolutePath();
    }

    /** The dump, to run in {@link #workingDirectory}: the archive records the jar by its name alone. */
    public static List<String> dumpCommand(ReleaseLayout relative, Path output) {
        ReleaseLayout layout = new ReleaseLayout(relative.dir().toAbsolutePath());
        List<String> command = new ArrayList<>();
        command.add(layout.java().toString());
        command.addAll(DUMP_OPTIONS);
        command.add("-XX:SharedClassListFile=" + layout.classList());
        command.add("-XX:SharedArchiveFile=" + output.toAbsolutePath());
        command.addAll(List.of("-cp", layout.dir().relativize(layout.jar()).toString()));
        return command;
    }

    /** Makes (or remakes) the layout's archive; the previous one stays until the new one is complete. */
    public static Outcome create(ReleaseLayout layout) {
        if (!layout.hasRuntime()) {
            return new NotApplicable(layout.dir() + " holds no runtime and class list");
        }
        Path partial = layout.dir().resolve(ReleaseLayout.CLASS_ARCHIVE_FILE + ".partial");
        Path log = layout.dir().resolve(ReleaseLayout.CLASS_ARCHIVE_FILE + ".log");
        long start = System.nanoTime();
        try {
            Files.deleteIfExists(partial);
            Process dump = new ProcessBuilder(dumpCommand(layout, partial)).directory(workingDirectory(layout).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!dump.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                dump.destroyForcibly().waitFor();
                return new Failed("class archive dump did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (dump.exitValue() != 0 || !Files.isRegularFile(partial)) {
                return new Failed("class archive dump exited with " + dump.exitValue() + ": " + lastLine(log));
            }
            Files.move(partial, layout.classArchive(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(log);
            return new Created(layout.classArchive(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (IOException e) {
            return new Failed("class archive dump: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("class archive dump interrupted");
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
