package dev.kiln.node.supervisor;

import dev.kiln.node.disk.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Records which process a service started, so the next node-init can kill it if node-init died
 * without stopping it.
 *
 * <p>Why: a JVM killed with SIGKILL runs no shutdown hook, and Java cannot ask the kernel to signal
 * children when their parent dies (no {@code PR_SET_PDEATHSIG}). Its children (etcd, say) keep
 * running, reparented, holding ports and data directories. So each start writes the child's PID to
 * a pidfile on the EPHEMERAL partition, and each start first {@linkplain #reapOrphan reaps} the
 * process a previous run left behind. An orphan thus lives at most until node-init runs again.
 *
 * <p>A PID alone is not proof: PIDs are reused. The file also holds the process's start time, and a
 * live process is taken for the recorded one only if its start time is the same; where start times
 * are unavailable, its executable and arguments must match instead.
 */
public record Pidfile(Path path) {

    /** What a pidfile says about the process it names. */
    public record Entry(long pid, Optional<Instant> started, String executable, String argumentsDigest) {
        public Entry {
            Objects.requireNonNull(started, "started");
            executable = executable == null ? "" : executable;
            argumentsDigest = argumentsDigest == null ? "" : argumentsDigest;
        }

        static Entry describe(ProcessHandle process) {
            ProcessHandle.Info info = process.info();
            return new Entry(process.pid(), info.startInstant(), info.command().orElse(""),
                    info.arguments().map(args -> digest(List.of(args))).orElse(""));
        }

        /** Whether a live process is the one this entry was written for. */
        boolean isSameProcessAs(ProcessHandle process) {
            if (process.pid() != pid) {
                return false;
            }
            Entry now = describe(process);
            if (started.isPresent() && now.started.isPresent()) {
                return started.equals(now.started);
            }
            return !executable.isEmpty() && executable.equals(now.executable)
                    && argumentsDigest.equals(now.argumentsDigest);
        }
    }

    public Pidfile {
        Objects.requireNonNull(path, "path");
    }

    /** Records a freshly started process. */
    public void write(ProcessHandle process) throws IOException {
        Entry e = Entry.describe(process);
        String text = "pid: " + e.pid() + "\n"
                + "started: " + e.started().map(Instant::toString).orElse("") + "\n"
                + "executable: " + e.executable() + "\n"
                + "arguments-sha256: " + e.argumentsDigest() + "\n";
        AtomicFiles.writeString(path, text);
    }

    /** The recorded entry; empty if there is no pidfile or it is unreadable. */
    public Optional<Entry> read() throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        long pid = -1;
        Optional<Instant> started = Optional.empty();
        String executable = "";
        String digest = "";
        try {
            for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String key = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                switch (key) {
                    case "pid":
                        pid = Long.parseLong(value);
                        break;
                    case "started":
                        started = value.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(value));
                        break;
                    case "executable":
                        executable = value;
                        break;
                    case "arguments-sha256":
                        digest = value;
                        break;
                    default:
                        break;
                }
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
        return pid > 0 ? Optional.of(new Entry(pid, started, executable, digest)) : Optional.empty();
    }

    /** The process the pidfile names, if it still runs and is still that process. */
    public Optional<ProcessHandle> liveProcess() throws IOException {
        Optional<Entry> entry = read();
        if (entry.isEmpty() || entry.get().pid() == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        return ProcessHandle.of(entry.get().pid())
                .filter(ProcessTree::isLive)
                .filter(entry.get()::isSameProcessAs);
    }

    /**
     * Kills the process (and its descendants) that a previous run recorded and left running, then
     * removes the pidfile.
     *
     * @return the PID of the orphan killed, if there was one
     */
    public Optional<Long> reapOrphan(Duration grace) throws IOException {
        Optional<ProcessHandle> orphan = liveProcess();
        orphan.ifPresent(p -> ProcessTree.terminate(p, grace));
        delete();
        return orphan.map(ProcessHandle::pid);
    }

    /** Removes the pidfile if it names the given process. */
    public void deleteIfFor(long pid) throws IOException {
        Optional<Entry> entry = read();
        if (entry.isPresent() && entry.get().pid() == pid) {
            delete();
        }
    }

    public void delete() throws IOException {
        if (Files.deleteIfExists(path)) {
            AtomicFiles.syncDirectory(path.toAbsolutePath().getParent());
        }
    }

    private static String digest(List<String> arguments) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String arg : arguments) {
                sha.update(arg.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
