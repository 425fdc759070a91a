package dev.kiln.testenv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A process's peak resident set size (Linux {@code VmHWM} in /proc/PID/status), for the demo's summary. */
public final class PeakRss {

    private PeakRss() {
    }

    /** Peak RSS in KiB, empty when unknown (process gone, or no /proc). */
    public static Optional<Long> kib(ProcessHandle process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Optional.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return Optional.empty();
    }

    public static String mib(ProcessHandle process) {
        return kib(process).map(k -> (k / 1024) + " MiB").orElse("?");
    }
}
