package dev.kiln.node.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes a release's CDS class archive on the machine, with the release's own runtime. The archive records the jar's
 * path as the dump saw it and the jar's size and time; the dump runs in the release's directory with the jar's bare
 * name, and node-init runs with that directory as its working directory ({@link #workingDirectory}), so the archive
 * holds for any copy of the release that keeps the jar's time ({@link Installer} copies it into a boot slot). The
 * runtime makes it byte for byte differently from run to run, so it is not shipped. A class list whose maintenance-mode
 * classes come first, ended by {@link #CONFIGURED_MODE_MARKER}, also gives a second, smaller archive of those alone.
 */
public final class ClassArchive {

    /** Options the archive is made with; node-init runs with the same collector so the archive maps. */
    public static final List<String> DUMP_OPTIONS = List.of("-XX:+UseSerialGC", "-Xshare:dump");
    /** The comment line of a class list after which come the classes an idle maintenance-mode node does not load. */
    public static final String CONFIGURED_MODE_MARKER = "# configured mode";
    private static final long TIMEOUT_SECONDS = 300;

    /** What {@link #create} did. */
    public sealed interface Outcome permits Created, NotApplicable, Failed {
    }

    /** The archives made: the whole class list's, then the maintenance-mode one when the list marks it. */
    public record Created(List<Path> archives, long millis) implements Outcome {
        public Created {
            archives = List.copyOf(archives);
        }
    }

    /** The release has no runtime or class list (format 1): it runs without an archive. */
    public record NotApplicable(String reason) implements Outcome {
    }

    public record Failed(String reason) implements Outcome {
    }

    private ClassArchive() {
    }

    /** {@code ClassArchive DIR}: makes the class archives of the release unpacked in DIR, as the bootloader would. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ClassArchive RELEASE-DIR");
            System.exit(2);
        }
        Outcome outcome = create(new ReleaseLayout(Path.of(args[0]).toAbsolutePath()));
        if (outcome instanceof Created created) {
            created.archives().forEach(System.out::println);
        } else if (outcome instanceof NotApplicable skipped) {
            System.err.println("class archive: " + skipped.reason());
            System.exit(1);
        } else if (outcome instanceof Failed failed) {
            System.err.println("class archive: " + failed.reason());
            System.exit(1);
        }
    }

    /** The options that make node-init's JVM use the layout's archive for a boot into maintenance mode or not. */
    public static List<String> runOptions(ReleaseLayout layout, boolean maintenance) {
        Path archive = maintenance && Files.isRegularFile(layout.maintenanceClassArchive())
                ? layout.maintenanceClassArchive() : layout.classArchive();
        return List.of("-XX:SharedArchiveFile=" + archive.toAbsolutePath());
    }

    /** node-init's working directory when it runs with the layout's archive: the jar's path there is its name. */
    public static Path workingDirectory(ReleaseLayout layout) {
        return layout.dir().toAbsolutePath();
    }

    /** The dump, to run in {@link #workingDirectory}: the archive records the jar by its name alone. */
    public static List<String> dumpCommand(ReleaseLayout relative, Path classList, Path output) {
        ReleaseLayout layout = new ReleaseLayout(relative.dir().toAbsolutePath());
        List<String> command = new ArrayList<>();
        command.add(layout.java().toString());
        command.addAll(DUMP_OPTIONS);
        command.add("-XX:SharedClassListFile=" + classList.toAbsolutePath());
        command.add("-XX:SharedArchiveFile=" + output.toAbsolutePath());
        command.addAll(List.of("-cp", layout.dir().relativize(layout.jar()).toString()));
        return command;
    }

    /** Makes (or remakes) the layout's archives; a previous one stays until its new one is complete. */
    public static Outcome create(ReleaseLayout layout) {
        if (!layout.hasRuntime()) {
            return new NotApplicable(layout.dir() + " holds no runtime and class list");
        }
        long start = System.nanoTime();
        Path maintenanceList = layout.dir().resolve(ReleaseLayout.MAINTENANCE_CLASS_ARCHIVE_FILE + ".classlist");
        try {
            Optional<String> failed = dump(layout, layout.classList(), layout.classArchive());
            if (failed.isPresent()) {
                return new Failed(failed.get());
            }
            List<Path> made = new ArrayList<>(List.of(layout.classArchive()));
            Optional<List<String>> maintenance = maintenanceClasses(layout.classList());
            if (maintenance.isPresent()) {
                Files.write(maintenanceList, maintenance.get(), StandardCharsets.UTF_8);
                failed = dump(layout, maintenanceList, layout.maintenanceClassArchive());
                if (failed.isPresent()) {
                    return new Failed("maintenance-mode " + failed.get());
                }
                made.add(layout.maintenanceClassArchive());
            } else {
                Files.deleteIfExists(layout.maintenanceClassArchive());
            }
            return new Created(made, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (IOException e) {
            return new Failed("class archive dump: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("class archive dump interrupted");
        } finally {
            try {
                Files.deleteIfExists(maintenanceList);
            } catch (IOException e) {
                // a leftover list is remade by the next dump
            }
        }
    }

    /** The lines before {@link #CONFIGURED_MODE_MARKER}, when the list has it. */
    static Optional<List<String>> maintenanceClasses(Path classList) throws IOException {
        List<String> lines = Files.readAllLines(classList, StandardCharsets.UTF_8);
        int marker = lines.indexOf(CONFIGURED_MODE_MARKER);
        return marker < 0 ? Optional.empty() : Optional.of(lines.subList(0, marker));
    }

    private static Optional<String> dump(ReleaseLayout layout, Path classList, Path archive)
            throws IOException, InterruptedException {
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        Path log = archive.resolveSibling(archive.getFileName() + ".log");
        Files.deleteIfExists(partial);
        Process dump = new ProcessBuilder(dumpCommand(layout, classList, partial))
                .directory(workingDirectory(layout).toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        if (!dump.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            dump.destroyForcibly().waitFor();
            return Optional.of("class archive dump did not finish within " + TIMEOUT_SECONDS + " s");
        }
        if (dump.exitValue() != 0 || !Files.isRegularFile(partial)) {
            return Optional.of("class archive dump exited with " + dump.exitValue() + ": " + lastLine(log));
        }
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(log);
        return Optional.empty();
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
