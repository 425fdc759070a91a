package dev.kiln.node.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.testing.Await;
import dev.kiln.node.disk.DiskLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SupervisorTest {

    @TempDir
    Path root;

    private DiskLayout disk;
    private Supervisor supervisor;
    private final List<Process> strays = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        disk = DiskLayout.format(root);
        supervisor = new Supervisor(disk, SupervisorConfig.defaults().withHealthInterval(Duration.ofMillis(100)));
    }

    @AfterEach
    void tearDown() {
        supervisor.close();
        strays.forEach(Process::destroyForcibly);
    }

    @Test
    void capturesProcessOutputIntoServiceLog() throws IOException {
        supervisor.register(new ProcessService(ProcessSpec.of("echo", "/bin/sh", "-c", "echo hi; echo oops >&2; sleep 30")));
        supervisor.start("echo");

        ServiceLog log = supervisor.log("echo");
        Await.until(() -> log.tail(10).containsAll(List.of("hi", "oops")), () -> "output in log, got " + log.tail(10));
        assertEquals(disk.logsDir().resolve("echo.log"), log.file());
        List<String> onDisk = Files.readAllLines(log.file());
        assertTrue(onDisk.containsAll(List.of("hi", "oops")), onDisk::toString);
    }

    @Test
    void restartsCrashedServiceWithBackoff() {
        supervisor.register(new ProcessService(ProcessSpec.of("crasher", "/bin/sh", "-c", "exit 3")));
        supervisor.start("crasher");

        Await.until(() -> restarts("crasher") >= 3, () -> "3 restarts, got " + restarts("crasher"));
        supervisor.stop("crasher");

        List<ServiceEvent> events = serviceEvents("crasher");
        List<Instant> failures = at(events, ServiceState.FAILED);
        List<Instant> attempts = at(events, ServiceState.STARTING);
        assertTrue(events.stream().anyMatch(e -> e.message().startsWith("exited with code 3")), events::toString);
        // Attempt i+1 begins after failure i plus the backoff: 200 ms, 400 ms, 800 ms.
        long[] gaps = new long[3];
        for (int i = 0; i < 3; i++) {
            gaps[i] = Duration.between(failures.get(i), attempts.get(i + 1)).toMillis();
            long expected = 200L << i;
            assertTrue(gaps[i] >= expected - 20, "gap " + i + " was " + gaps[i] + " ms, expected about " + expected);
            assertTrue(gaps[i] < expected + 3000, "gap " + i + " was " + gaps[i] + " ms, expected about " + expected);
        }
        assertTrue(gaps[2] > gaps[0], "gaps should grow: " + gaps[0] + ", " + gaps[1] + ", " + gaps[2]);
    }

    @Test
    void stopTerminatesProcessAndDescendants() {
        ProcessService service = new ProcessService(ProcessSpec.of("tree", "/bin/sh", "-c", "sleep 300 & sleep 301 & wait"));
        supervisor.register(service);
        supervisor.start("tree");
        Await.until(() -> service.handle().map(h -> h.descendants().count() == 2).orElse(false), () -> "two children");
        List<ProcessHandle> tree = ProcessTree.snapshot(service.handle().orElseThrow());

        supervisor.stop("tree");

        Await.until(() -> tree.stream().noneMatch(ProcessTree::isLive), () -> "all of " + tree + " gone");
        assertEquals(ServiceState.FINISHED, supervisor.snapshot("tree").orElseThrow().state());
        assertFalse(Files.exists(disk.runDir().resolve("tree.pid")));
    }

    @Test
    void healthFlipEmitsEvent() throws IOException {
        Path ready = root.resolve("ready");
        supervisor.register(new ProcessService(ProcessSpec.of("web", "/bin/sh", "-c", "sleep 0.3; touch " + ready + "; sleep 30")
                .withHealthCheck(() -> Files.exists(ready) ? Health.healthy("ready") : Health.unhealthy("not ready yet"))));
        supervisor.start("web");

        Await.until(() -> lastHealthEvent("web").map(Health::isHealthy).orElse(false), () -> "healthy event");
        assertTrue(serviceEvents("web").stream().anyMatch(e -> e.health().status() == Health.Status.UNHEALTHY));

        Files.delete(ready);

        Await.until(() -> lastHealthEvent("web").map(h -> h.status() == Health.Status.UNHEALTHY).orElse(false),
                () -> "unhealthy event after the flip");
        ServiceSnapshot snapshot = supervisor.snapshot("web").orElseThrow();
        assertEquals(ServiceState.RUNNING, snapshot.state());
        assertEquals("not ready yet", snapshot.health().message());
    }

    @Test
    void stopAllStopsInReverseDependencyOrder() {
        supervisor.register(sleeper("c", "b"));
        supervisor.register(sleeper("a"));
        supervisor.register(sleeper("b", "a"));
        supervisor.startAll();
        Await.until(() -> supervisor.list().stream().allMatch(s -> s.state() == ServiceState.RUNNING), () -> supervisor.list().toString());

        supervisor.stopAll();

        List<String> finished = supervisor.events().tail(1000).stream()
                .map(EventLog.Entry::event)
                .filter(e -> e instanceof ServiceEvent se && se.state() == ServiceState.FINISHED)
                .map(e -> ((ServiceEvent) e).serviceId())
                .toList();
        assertEquals(List.of("c", "b", "a"), finished);
        List<String> started = supervisor.events().tail(1000).stream()
                .map(EventLog.Entry::event)
                .filter(e -> e instanceof ServiceEvent se && se.state() == ServiceState.RUNNING && se.message().equals("started"))
                .map(e -> ((ServiceEvent) e).serviceId())
                .toList();
        assertEquals(List.of("a", "b", "c"), started);
    }

    @Test
    void orphanFromPreviousRunIsKilledOnStart() throws IOException {
        // A previous node-init started this and was killed with -9 before it could stop it.
        Process orphan = new ProcessBuilder("sleep", "300").start();
        strays.add(orphan);
        new Pidfile(disk.runDir().resolve("etcd.pid")).write(orphan.toHandle());

        ProcessService service = new ProcessService(ProcessSpec.of("etcd", "sleep", "300"));
        supervisor.register(service);
        supervisor.start("etcd");

        Await.until(() -> !orphan.isAlive(), () -> "orphan " + orphan.pid() + " killed");
        Await.until(() -> state("etcd") == ServiceState.RUNNING, () -> "etcd running");
        long fresh = service.handle().orElseThrow().pid();
        assertNotEquals(orphan.pid(), fresh);
        assertEquals(Optional.of(fresh), new Pidfile(disk.runDir().resolve("etcd.pid")).read().map(Pidfile.Entry::pid));
        assertTrue(supervisor.log("etcd").tail(10).stream().anyMatch(l -> l.contains("killed process " + orphan.pid())));
    }

    @Test
    void pidfileNamingAnUnrelatedProcessLeavesItAlone() throws Exception {
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        strays.add(unrelated);
        Path pidfile = disk.runDir().resolve("etcd.pid");
        // Same PID, different start time: the PID was reused by another process since.
        Files.writeString(pidfile, "pid: " + unrelated.pid() + "\nstarted: 2001-01-01T00:00:00Z\n"
                + "executable: /usr/bin/sleep\narguments-sha256: x\n");

        assertEquals(Optional.empty(), new Pidfile(pidfile).reapOrphan(Duration.ofSeconds(1)));
        assertTrue(unrelated.isAlive());
        assertFalse(Files.exists(pidfile));
    }

    @Test
    void waitsForDependenciesToBeUpBeforeStarting() {
        supervisor.register(sleeper("api", "etcd"));
        supervisor.start("api");
        Await.until(() -> state("api") == ServiceState.WAITING, () -> "api waiting");

        supervisor.register(sleeper("etcd"));
        supervisor.start("etcd");

        Await.until(() -> state("api") == ServiceState.RUNNING, () -> "api running once etcd is up");
    }

    @Test
    void serviceThatSucceedsUnderUntilSuccessFinishes() {
        supervisor.register(new ProcessService(ProcessSpec.of("job", "/bin/sh", "-c", "echo done")
                .withRestartPolicy(RestartPolicy.UNTIL_SUCCESS)));
        supervisor.start("job");

        Await.until(() -> state("job") == ServiceState.FINISHED, () -> "job finished, is " + state("job"));
        assertEquals(0, restarts("job"));
    }

    private static ProcessService sleeper(String id, String... deps) {
        return new ProcessService(ProcessSpec.of(id, "sleep", "300").withDependsOn(deps));
    }

    private ServiceState state(String id) {
        return supervisor.snapshot(id).orElseThrow().state();
    }

    private int restarts(String id) {
        return supervisor.snapshot(id).orElseThrow().restarts();
    }

    private List<ServiceEvent> serviceEvents(String id) {
        return supervisor.events().tail(1000).stream()
                .map(EventLog.Entry::event)
                .filter(e -> e instanceof ServiceEvent se && se.serviceId().equals(id))
                .map(ServiceEvent.class::cast)
                .toList();
    }

    private Optional<Health> lastHealthEvent(String id) {
        List<ServiceEvent> events = serviceEvents(id);
        for (int i = events.size() - 1; i >= 0; i--) {
            ServiceEvent e = events.get(i);
            if (e.state() == ServiceState.RUNNING && !e.health().isUnknown()) {
                return Optional.of(e.health());
            }
        }
        return Optional.empty();
    }

    private static List<Instant> at(List<ServiceEvent> events, ServiceState state) {
        return events.stream().filter(e -> e.state() == state).map(ServiceEvent::at).toList();
    }
}
