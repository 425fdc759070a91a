package dev.kiln.node.supervisor;

import dev.kiln.node.disk.DiskLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Runs the node's services: starts them once the services they depend on are up, restarts crashed
 * ones with exponential backoff, checks their health periodically, and stops them in reverse
 * dependency order. Every state change and health flip is an event in {@link #events()}.
 *
 * <p>All work runs on one small scheduled pool. {@link #stop}, {@link #restart} and {@link #stopAll}
 * block until the services are stopped, so they must not be called from a service's own callbacks.
 */
public final class Supervisor implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    private final DiskLayout disk;
    private final SupervisorConfig config;
    private final EventLog events;
    private final ScheduledThreadPoolExecutor pool;
    private final ScheduledFuture<?> healthTicker;
    private final AtomicBoolean closed = new AtomicBoolean();
    // Sorted by id, so listings and stop order are deterministic.
    private final Map<String, ServiceRunner> runners = Collections.synchronizedMap(new TreeMap<>());
    private final ServiceRunner.Neighbours neighbours = new ServiceRunner.Neighbours() {
        @Override
        public boolean isUp(String serviceId) {
            ServiceRunner r = runners.get(serviceId);
            return r != null && r.isUp();
        }

        @Override
        public void changed(ServiceRunner runner) {
            for (ServiceRunner r : runnersNow()) {
                if (r.service().dependsOn().contains(runner.id())) {
                    r.dependencyChanged();
                }
            }
        }
    };

    public Supervisor(DiskLayout disk) {
        this(disk, SupervisorConfig.defaults(), new EventLog());
    }

    public Supervisor(DiskLayout disk, SupervisorConfig config) {
        this(disk, config, new EventLog());
    }

    /** Shares an event log with the rest of node-init, so machine stages and services interleave. */
    public Supervisor(DiskLayout disk, SupervisorConfig config, EventLog events) {
        this.disk = disk;
        this.config = config;
        this.events = events;
        this.pool = new ScheduledThreadPoolExecutor(config.threads(), daemonThreads());
        pool.setRemoveOnCancelPolicy(true);
        // Pending restarts die with the supervisor.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long interval = config.healthInterval().toNanos();
        this.healthTicker = pool.scheduleWithFixedDelay(
                () -> runnersNow().forEach(ServiceRunner::checkHealthSoon), interval, interval, TimeUnit.NANOSECONDS);
    }

    /** Adds a service in state INITIALIZED; its log is opened at {@code EPHEMERAL/logs/<id>.log}. */
    public void register(Service service) {
        String id = service.id();
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("service id must match " + ID + ": '" + id + "'");
        }
        ServiceRunner runner;
        synchronized (runners) {
            if (runners.containsKey(id)) {
                throw new IllegalStateException("service already registered: " + id);
            }
            rejectCycle(service);
            ServiceLog log;
            try {
                log = ServiceLog.open(id, disk.logsDir().resolve(id + ".log"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open log of " + id, e);
            }
            runner = new ServiceRunner(service, log, disk, config, events, pool, neighbours);
            runners.put(id, runner);
        }
        neighbours.changed(runner);
    }

    /** Starts a service; it waits, in WAITING, for the services it depends on to be up. */
    public void start(String id) {
        runner(id).requestStart();
    }

    public void startAll() {
        runnersNow().forEach(ServiceRunner::requestStart);
    }

    /** Stops a service and returns once it is stopped; cancels any pending restart. */
    public void stop(String id) {
        runner(id).requestStop().join();
    }

    /** Stops a service if it runs and leaves it FAILED with {@code reason} and no pending restart. */
    public void hold(String id, String reason) {
        runner(id).requestHold(reason).join();
    }

    /** Records why a service that is not running is waiting; shown in its health and as an event. */
    public void note(String id, String message) {
        runner(id).note(message);
    }

    public void restart(String id) {
        stop(id);
        start(id);
    }

    /** Stops every service, dependents before the services they depend on. */
    public void stopAll() {
        List<String> order = new ArrayList<>(startOrder());
        Collections.reverse(order);
        for (String id : order) {
            stop(id);
        }
    }

    public List<ServiceSnapshot> list() {
        return runnersNow().stream().map(ServiceRunner::snapshot).toList();
    }

    public Optional<ServiceSnapshot> snapshot(String id) {
        return Optional.ofNullable(runners.get(id)).map(ServiceRunner::snapshot);
    }

    public ServiceLog log(String id) {
        return runner(id).log();
    }

    public EventLog events() {
        return events;
    }

    /** Ids ordered so that each service comes after the services it depends on. */
    List<String> startOrder() {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (ServiceRunner r : runnersNow()) {
            graph.put(r.id(), r.service().dependsOn());
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String id : graph.keySet()) {
            visit(id, graph, ordered);
        }
        return List.copyOf(ordered);
    }

    /** Stops all services, then the threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stopAll();
        } finally {
            healthTicker.cancel(false);
            pool.shutdown();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            runnersNow().forEach(r -> r.log().close());
        }
    }

    private static void visit(String id, Map<String, Set<String>> graph, Set<String> ordered) {
        if (ordered.contains(id) || !graph.containsKey(id)) {
            return;
        }
        graph.get(id).stream().sorted().forEach(dep -> visit(dep, graph, ordered));
        ordered.add(id);
    }

    /** Registration refuses a service that would close a dependency cycle, so the order always exists. */
    private void rejectCycle(Service service) {
        Deque<String> todo = new ArrayDeque<>(service.dependsOn());
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String dep = todo.pop();
            if (dep.equals(service.id())) {
                throw new IllegalArgumentException("dependency cycle through " + service.id());
            }
            ServiceRunner r = runners.get(dep);
            if (seen.add(dep) && r != null) {
                todo.addAll(r.service().dependsOn());
            }
        }
    }

    private ServiceRunner runner(String id) {
        ServiceRunner r = runners.get(id);
        if (r == null) {
            throw new NoSuchElementException("unknown service: " + id);
        }
        return r;
    }

    private List<ServiceRunner> runnersNow() {
        synchronized (runners) {
            return List.copyOf(runners.values());
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "kiln-supervisor-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
