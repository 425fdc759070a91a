package dev.kiln.node.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * A service backed by an external process. Its stdout and stderr go line by line into the service
 * log; stop is SIGTERM to the process and its descendants, then SIGKILL after the stop timeout.
 * The child's PID is kept in a {@link Pidfile} so a process orphaned by a killed node-init is
 * killed on the next start.
 */
public final class ProcessService implements Service {

    private static final long PUMP_DRAIN_MILLIS = 1000;

    private final ProcessSpec spec;
    private volatile Process process;
    private volatile Thread pump;
    private volatile Pidfile pidfile;
    private volatile String fatalReason = "";

    public ProcessService(ProcessSpec spec) {
        this.spec = spec;
    }

    public ProcessSpec spec() {
        return spec;
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public Set<String> dependsOn() {
        return spec.dependsOn();
    }

    @Override
    public RestartPolicy restartPolicy() {
        return spec.restartPolicy();
    }

    @Override
    public void start(ServiceContext ctx) throws Exception {
        if (isRunning()) {
            throw new IllegalStateException(id() + " is already running");
        }
        Pidfile pids = new Pidfile(ctx.pidFile());
        pids.reapOrphan(spec.stopTimeout()).ifPresent(pid ->
                ctx.log().append("[kiln] killed process " + pid + " left running by a previous node-init"));

        ProcessBuilder builder = new ProcessBuilder(spec.command()).redirectErrorStream(true);
        builder.environment().putAll(spec.environment());
        if (spec.workingDir() != null) {
            builder.directory(spec.workingDir().toFile());
        }
        Process started = builder.start();
        try {
            pids.write(started.toHandle());
        } catch (IOException e) {
            // Without a pidfile the process could outlive a crash unnoticed, so it must not run.
            ProcessTree.terminate(started.toHandle(), spec.stopTimeout());
            throw e;
        }
        started.getOutputStream().close();
        process = started;
        pidfile = pids;
        fatalReason = "";
        pump = startPump(started, ctx.log());
        started.onExit().thenAccept(p -> {
            awaitPump();
            ctx.exited(new Exit.Code(p.exitValue(), fatalReason));
        });
    }

    @Override
    public void stop() throws Exception {
        Process p = process;
        if (p == null) {
            return;
        }
        ProcessTree.terminate(p.toHandle(), spec.stopTimeout());
        Thread t = pump;
        if (t != null) {
            t.join(PUMP_DRAIN_MILLIS);
        }
        Pidfile pids = pidfile;
        if (pids != null) {
            pids.deleteIfFor(p.pid());
        }
    }

    @Override
    public Health health() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return Health.unhealthy("process is not running");
        }
        try {
            return spec.healthCheck().check();
        } catch (Exception e) {
            return Health.unhealthy(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The current process, while there is one. */
    public Optional<ProcessHandle> handle() {
        return Optional.ofNullable(process).map(Process::toHandle);
    }

    /** The fatal line is the last the process writes, so its exit is reported only once the pipe is drained. */
    private void awaitPump() {
        Thread t = pump;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(PUMP_DRAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Thread startPump(Process p, ServiceLog log) {
        // Process pipes offer only blocking reads, so each process needs a reader thread.
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    log.append(line);
                    if (fatalReason.isEmpty()) {
                        FatalLine.reasonIn(line).ifPresent(reason -> fatalReason = reason);
                    }
                }
            } catch (IOException e) {
                // The pipe closes when the process and its descendants are gone.
            }
        }, "log-" + id() + "-" + p.pid());
        t.setDaemon(true);
        t.start();
        return t;
    }
}
