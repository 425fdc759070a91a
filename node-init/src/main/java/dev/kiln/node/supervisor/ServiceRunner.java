package dev.kiln.node.supervisor;

import dev.kiln.node.disk.DiskLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one service through its lifecycle and applies its restart policy. Every action on the service
 * runs on the runner's {@link SerialExecutor}, so start, stop, health checks and exit reports never
 * overlap; fields read by other threads are published under the runner's lock.
 */
final class ServiceRunner {

    /** What a runner needs from the supervisor. */
    interface Neighbours {
        boolean isUp(String serviceId);

        void changed(ServiceRunner runner);
    }

    private static final int RECENT_EVENTS = 20;
    private static final Set<ServiceState> ACTIVE =
            EnumSet.of(ServiceState.STARTING, ServiceState.WAITING, ServiceState.PREPARING, ServiceState.RUNNING,
                    ServiceState.STOPPING);

    private final Service service;
    private final ServiceLog log;
    private final DiskLayout disk;
    private final SupervisorConfig config;
    private final EventLog events;
    private final ScheduledExecutorService scheduler;
    private final Neighbours neighbours;
    private final SerialExecutor serial;
    private final Backoff backoff;
    private final Feed<ServiceEvent> recent = new Feed<>(RECENT_EVENTS);
    private final AtomicBoolean healthCheckQueued = new AtomicBoolean();

    // Published to other threads; guarded by this.
    private ServiceState state = ServiceState.INITIALIZED;
    private Health health = Health.unknown("not running");
    private Instant healthChangedAt = Instant.now();
    private int restarts;

    // Touched only by serial tasks.
    private boolean wanted;
    private long attempt;
    private Instant runningSince = Instant.EPOCH;
    private String lastMessage = "";

    ServiceRunner(Service service, ServiceLog log, DiskLayout disk, SupervisorConfig config, EventLog events,
            ScheduledExecutorService scheduler, Neighbours neighbours) {
        this.service = service;
        this.log = log;
        this.disk = disk;
        this.config = config;
        this.events = events;
        this.scheduler = scheduler;
        this.neighbours = neighbours;
        this.serial = new SerialExecutor(scheduler);
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax());
        serial.execute(() -> transition(ServiceState.INITIALIZED, "registered"));
    }

    String id() {
        return service.id();
    }

    Service service() {
        return service;
    }

    ServiceLog log() {
        return log;
    }

    synchronized ServiceSnapshot snapshot() {
        return new ServiceSnapshot(id(), state, health, healthChangedAt, restarts, recent.all());
    }

    /** Running and healthy: what services depending on this one wait for. */
    synchronized boolean isUp() {
        return state == ServiceState.RUNNING && health.isHealthy();
    }

    void requestStart() {
        serial.execute(() -> {
            wanted = true;
            if (!ACTIVE.contains(currentState())) {
                beginAttempt(false);
            }
        });
    }

    CompletableFuture<Void> requestStop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                stopNow();
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /** Stops the service if it runs and keeps it FAILED with this reason, with no restart until a start is asked. */
    CompletableFuture<Void> requestHold(String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            try {
                wanted = false;
                attempt++;
                if (currentState() == ServiceState.RUNNING) {
                    transition(ServiceState.STOPPING, "stopping: " + reason);
                    stopQuietly();
                }
                setHealth(Health.unhealthy(reason));
                transition(ServiceState.FAILED, reason);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    /** Says why a service that is not running waits, in its health message and as an event when it changes. */
    void note(String message) {
        serial.execute(() -> {
            ServiceState now = currentState();
            if (now == ServiceState.RUNNING || message.equals(lastMessage)) {
                return;
            }
            setHealth(Health.unknown(message));
            emit(now, message);
        });
    }

    /** A service this one depends on changed; a waiting start may now proceed. */
    void dependencyChanged() {
        serial.execute(() -> {
            if (wanted && currentState() == ServiceState.WAITING) {
                launchIfDependenciesUp();
            }
        });
    }

    /** Queues a health check unless one is already queued, so a slow check cannot pile up. */
    void checkHealthSoon() {
        if (currentState() == ServiceState.RUNNING && healthCheckQueued.compareAndSet(false, true)) {
            serial.execute(() -> {
                healthCheckQueued.set(false);
                checkHealth();
            });
        }
    }

    private void beginAttempt(boolean isRestart) {
        attempt++;
        Optional<String> skip = service.skipReason();
        if (skip.isPresent()) {
            wanted = false;
            transition(ServiceState.SKIPPED, skip.get());
            return;
        }
        if (isRestart) {
            synchronized (this) {
                restarts++;
            }
        }
        transition(ServiceState.STARTING, isRestart ? "restarting" : "starting");
        launchIfDependenciesUp();
    }

    private void launchIfDependenciesUp() {
        List<String> missing = service.dependsOn().stream().filter(d -> !neighbours.isUp(d)).sorted().toList();
        if (!missing.isEmpty()) {
            String message = "waiting for " + String.join(", ", missing);
            if (currentState() != ServiceState.WAITING || !message.equals(lastMessage)) {
                transition(ServiceState.WAITING, message);
            }
            return;
        }
        launch();
    }

    private void launch() {
        long thisAttempt = attempt;
        ServiceContext ctx = new ServiceContext(id(), disk, log,
                exit -> serial.execute(() -> onExit(thisAttempt, exit)));
        transition(ServiceState.PREPARING, "launching");
        try {
            service.start(ctx);
        } catch (Exception e) {
            stopQuietly();
            afterEnd(new Exit.Error(describe(e)), "start failed: " + describe(e), false);
            return;
        }
        runningSince = Instant.now();
        transition(ServiceState.RUNNING, "started");
        // Dependents wait for healthy, so do not make them wait a whole interval.
        checkHealth();
    }

    private void onExit(long ofAttempt, Exit exit) {
        if (ofAttempt != attempt || currentState() != ServiceState.RUNNING) {
            return;
        }
        stopQuietly();
        boolean ranLongEnough = Duration.between(runningSince, Instant.now()).compareTo(config.backoffResetAfter()) >= 0;
        afterEnd(exit, exit.describe(), ranLongEnough);
    }

    /** The work ended on its own: finish, or fail and schedule a restart as the policy says. */
    private void afterEnd(Exit exit, String message, boolean resetBackoff) {
        // The reason stays in the health message, which is what a service listing shows after the failure.
        setHealth(exit.success() ? Health.unknown("not running") : Health.unhealthy(message));
        ServiceState end = exit.success() ? ServiceState.FINISHED : ServiceState.FAILED;
        if (!wanted || !service.restartPolicy().restartsAfter(exit)) {
            wanted = false;
            transition(end, message);
            return;
        }
        if (resetBackoff) {
            backoff.reset();
        }
        Duration delay = backoff.next();
        transition(end, message + "; restarting in " + delay.toMillis() + " ms");
        long scheduledFor = attempt;
        scheduler.schedule(() -> serial.execute(() -> {
            if (wanted && attempt == scheduledFor) {
                beginAttempt(true);
            }
        }), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void stopNow() {
        wanted = false;
        // A new attempt number silences the stopped attempt's exit report and any pending restart.
        attempt++;
        ServiceState now = currentState();
        if (now == ServiceState.RUNNING) {
            transition(ServiceState.STOPPING, "stopping");
            setHealth(Health.unknown("not running"));
            try {
                service.stop();
                transition(ServiceState.FINISHED, "stopped");
            } catch (Exception e) {
                transition(ServiceState.FAILED, "stop failed: " + describe(e));
            }
        } else if (now == ServiceState.STARTING || now == ServiceState.WAITING || now == ServiceState.PREPARING) {
            transition(ServiceState.FINISHED, "stopped before it ran");
        } else if (now == ServiceState.FAILED && lastMessage.contains("restarting in")) {
            transition(ServiceState.FAILED, "stopped; restart cancelled");
        }
    }

    private void checkHealth() {
        if (currentState() != ServiceState.RUNNING) {
            return;
        }
        Health checked;
        try {
            checked = service.health();
            if (checked == null) {
                checked = Health.unknown("no health reported");
            }
        } catch (RuntimeException e) {
            checked = Health.unhealthy(describe(e));
        }
        if (setHealth(checked)) {
            String verdict = checked.status().name().toLowerCase();
            emit(ServiceState.RUNNING, checked.message().isEmpty() ? verdict : verdict + ": " + checked.message());
        }
    }

    /** Stores the health; returns whether its status flipped. */
    private synchronized boolean setHealth(Health next) {
        boolean flipped = next.status() != health.status();
        health = next;
        if (flipped) {
            healthChangedAt = Instant.now();
        }
        return flipped;
    }

    private void stopQuietly() {
        try {
            service.stop();
        } catch (Exception e) {
            log.append("[kiln] cleanup after exit failed: " + describe(e));
        }
    }

    private void transition(ServiceState next, String message) {
        synchronized (this) {
            state = next;
        }
        emit(next, message);
    }

    private void emit(ServiceState inState, String message) {
        lastMessage = message;
        Health h;
        synchronized (this) {
            h = health;
        }
        ServiceEvent event = new ServiceEvent(id(), inState, message, Instant.now(), h);
        recent.publish(event);
        events.append(event);
        neighbours.changed(this);
    }

    private synchronized ServiceState currentState() {
        return state;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
