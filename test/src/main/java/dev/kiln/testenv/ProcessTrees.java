package dev.kiln.testenv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stops a child process and everything it started (etcd under node-init, node-init under its launcher). */
final class ProcessTrees {

    private ProcessTrees() {
    }

    /**
     * SIGTERM to the process and its descendants, SIGKILL to whatever still runs after {@code graceMillis}. The
     * descendants are listed before anything is signalled, so a launcher that dies first cannot orphan them unseen.
     */
    static void stop(ProcessHandle process, long graceMillis) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process);
        process.descendants().forEach(all::add);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (ProcessHandle handle : all) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    handle.onExit().get(left, TimeUnit.NANOSECONDS);
                } catch (Exception e) {
                    // killed below
                }
            }
        }
        for (ProcessHandle handle : all) {
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // nothing more to do
            }
        }
    }

    /** SIGKILL at once to the process and its descendants. */
    static void kill(ProcessHandle process) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process);
        process.descendants().forEach(all::add);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // nothing more to do
            }
        }
    }
}
