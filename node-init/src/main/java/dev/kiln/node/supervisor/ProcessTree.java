package dev.kiln.node.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Terminating a process together with its descendants: SIGTERM to all, then SIGKILL to survivors. */
public final class ProcessTree {

    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {
    }

    /**
     * Whether a process still runs. Unlike {@link ProcessHandle#isAlive()} a zombie counts as gone:
     * an orphan reparented to a PID 1 that does not reap stays a zombie forever, yet it is dead.
     */
    public static boolean isLive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        if (!Files.isDirectory(PROC)) {
            return true;
        }
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(process.pid())).resolve("stat"), StandardCharsets.UTF_8);
            // The command name in parentheses may itself contain ") ", so look after the last one.
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** The process and all its descendants, taken now: once a parent dies its children are orphans. */
    public static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    /**
     * Sends SIGTERM to the process and its descendants at once (as a signal to a process group would),
     * waits up to {@code grace} for them to exit, then SIGKILLs whatever is left.
     *
     * @return whether every process of the tree is gone
     */
    public static boolean terminate(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = snapshot(root);
        tree.forEach(ProcessHandle::destroy);
        if (awaitGone(tree, grace)) {
            return true;
        }
        for (ProcessHandle p : tree) {
            if (isLive(p)) {
                p.destroyForcibly();
            }
        }
        return awaitGone(tree, KILL_WAIT);
    }

    /** Waits, sleeping between bounded polls, until none of the processes is live. */
    static boolean awaitGone(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 5;
        while (processes.stream().anyMatch(ProcessTree::isLive)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Thread.sleep(Math.min(pauseMillis, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return processes.stream().noneMatch(ProcessTree::isLive);
            }
            pauseMillis = Math.min(pauseMillis * 2, 100);
        }
        return true;
    }
}
