package dev.kiln.node.etcd;

import dev.kiln.node.supervisor.Health;
import dev.kiln.node.supervisor.ProcessService;
import dev.kiln.node.supervisor.ProcessSpec;
import dev.kiln.node.supervisor.Service;
import dev.kiln.node.supervisor.ServiceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The etcd process as a supervised service. A data directory that already holds a member always resumes, so a
 * crash restart never re-runs a bootstrap or a join; otherwise the launch chosen by {@link EtcdNode} is used.
 */
final class EtcdService implements Service {

    static final String ID = "etcd";

    private final String binary;
    private final String name;
    private final Path dataDir;
    private final EtcdEndpoints endpoints;
    private final EtcdTlsFiles tls;
    private final Supplier<Map<String, String>> extraArgs;
    private final EtcdClients clients;
    private volatile EtcdLaunch nextLaunch;
    private volatile ProcessService process;
    private volatile EtcdAdmin healthClient;

    EtcdService(String binary, String name, Path dataDir, EtcdEndpoints endpoints, EtcdTlsFiles tls,
            Supplier<Map<String, String>> extraArgs, EtcdClients clients) {
        this.binary = binary;
        this.name = name;
        this.dataDir = dataDir;
        this.endpoints = endpoints;
        this.tls = tls;
        this.extraArgs = extraArgs;
        this.clients = clients;
    }

    static boolean holdsMember(Path dataDir) {
        return Files.isDirectory(dataDir.resolve("member"));
    }

    void launchNext(EtcdLaunch launch) {
        this.nextLaunch = launch;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void start(ServiceContext ctx) throws Exception {
        EtcdLaunch launch = holdsMember(dataDir) ? new EtcdLaunch.Resume() : nextLaunch;
        if (launch == null) {
            throw new IllegalStateException("etcd has no data and was neither bootstrapped nor joined");
        }
        Files.createDirectories(dataDir);
        List<String> command = EtcdLaunch.commandLine(binary, name, dataDir, endpoints, tls, launch, extraArgs.get());
        ctx.log().append("[kiln] starting etcd (" + launch.getClass().getSimpleName() + ")");
        ProcessService started = new ProcessService(ProcessSpec.of(ID, command.toArray(String[]::new))
                .withStopTimeout(Duration.ofSeconds(5))
                .withHealthCheck(this::probe));
        started.start(ctx);
        process = started;
    }

    private Health probe() throws Exception {
        EtcdAdmin admin = healthClient;
        if (admin == null) {
            admin = new EtcdAdmin(clients.connect(List.of(endpoints.clientUrl())));
            healthClient = admin;
        }
        var status = admin.status(endpoints.clientUrl());
        if (!status.getErrorList().isEmpty()) {
            return Health.unhealthy(String.join("; ", status.getErrorList()));
        }
        if (status.getLeader() == 0) {
            return Health.unhealthy("no leader");
        }
        return Health.healthy(status.isLearner() ? "learner, leader " + Long.toHexString(status.getLeader())
                : "member, leader " + Long.toHexString(status.getLeader()));
    }

    @Override
    public void stop() throws Exception {
        EtcdAdmin admin = healthClient;
        healthClient = null;
        if (admin != null) {
            admin.close();
        }
        ProcessService running = process;
        if (running != null) {
            running.stop();
        }
    }

    @Override
    public Health health() {
        ProcessService running = process;
        return running == null ? Health.unknown("not started") : running.health();
    }

    @Override
    public boolean isRunning() {
        ProcessService running = process;
        return running != null && running.isRunning();
    }
}
