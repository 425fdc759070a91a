package dev.kiln.node.etcd;

import dev.kiln.node.supervisor.Health;
import dev.kiln.node.supervisor.ProcessService;
import dev.kiln.node.supervisor.ProcessSpec;
import dev.kiln.node.supervisor.Service;
import dev.kiln.node.supervisor.ServiceContext;
import dev.kiln.node.supervisor.Subscription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The etcd process as a supervised service. A data directory with a WAL always resumes, so a crash restart never
 * re-runs a bootstrap or a join; without one, only the launch chosen by {@link EtcdNode} may start etcd. Every
 * start is checked against the IDs the membership record expects, and never reported healthy before it matches.
 */
final class EtcdService implements Service {

    static final String ID = "etcd";
    private static final String REMOVED_MARKER = "the member has been permanently removed";

    /** What the service tells the node that owns it; called on the service's own thread, so it must not block. */
    interface Observer {
        void identityMismatch(String message);

        void removedFromCluster();
    }

    private final String binary;
    private final String name;
    private final Path dataDir;
    private final EtcdEndpoints endpoints;
    private final EtcdTlsFiles tls;
    private final Supplier<Map<String, String>> extraArgs;
    private final EtcdClients clients;
    private final Supplier<Optional<EtcdBootPlan.Identity>> expected;
    private final Observer observer;
    private volatile EtcdLaunch nextLaunch;
    private volatile ProcessService process;
    private volatile EtcdMemberMaintenance healthClient;
    private volatile Subscription removalWatch;
    private volatile boolean verified;

    EtcdService(String binary, String name, Path dataDir, EtcdEndpoints endpoints, EtcdTlsFiles tls,
            Supplier<Map<String, String>> extraArgs, EtcdClients clients,
            Supplier<Optional<EtcdBootPlan.Identity>> expected, Observer observer) {
        this.binary = binary;
        this.name = name;
        this.dataDir = dataDir;
        this.endpoints = endpoints;
        this.tls = tls;
        this.extraArgs = extraArgs;
        this.clients = clients;
        this.expected = expected;
        this.observer = observer;
    }

    /** The launch for a data directory without a WAL; null means etcd may only resume. */
    void launchNext(EtcdLaunch launch) {
        this.nextLaunch = launch;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void start(ServiceContext ctx) throws Exception {
        EtcdLaunch launch = EtcdDataDir.inspect(dataDir).wal() ? new EtcdLaunch.Resume() : nextLaunch;
        if (launch == null || launch instanceof EtcdLaunch.Resume && !EtcdDataDir.inspect(dataDir).wal()) {
            throw new IllegalStateException("etcd data directory holds no WAL and no bootstrap or join is under way;"
                    + " starting etcd now could only found a new cluster");
        }
        Files.createDirectories(dataDir);
        List<String> command = EtcdLaunch.commandLine(binary, name, dataDir, endpoints, tls, launch, extraArgs.get());
        ctx.log().append("[kiln] starting etcd (" + launch.getClass().getSimpleName() + ")");
        verified = false;
        // A channel left from a crashed process may sit in gRPC's reconnect backoff: the new process gets a new one.
        closeLocalMember();
        removalWatch = ctx.log().follow(0, line -> {
            if (line.toLowerCase(Locale.ROOT).contains(REMOVED_MARKER)) {
                observer.removedFromCluster();
            }
        });
        ProcessService started = new ProcessService(ProcessSpec.of(ID, command.toArray(String[]::new))
                .withStopTimeout(Duration.ofSeconds(5))
                .withHealthCheck(this::probe));
        started.start(ctx);
        process = started;
    }

    private Health probe() throws Exception {
        var status = localMember().status();
        Optional<EtcdBootPlan.Identity> want = expected.get();
        long clusterId = status.getHeader().getClusterId();
        long memberId = status.getHeader().getMemberId();
        if (want.isPresent() && (want.get().clusterId() != clusterId || want.get().memberId() != memberId)) {
            String mismatch = mismatch(want.get(), clusterId, memberId);
            observer.identityMismatch(mismatch);
            return Health.unhealthy(mismatch);
        }
        verified = true;
        if (!status.getErrorsList().isEmpty()) {
            return Health.unhealthy(String.join("; ", status.getErrorsList()));
        }
        if (status.getLeader() == 0) {
            return Health.unhealthy("no leader");
        }
        return Health.healthy(status.getIsLearner() ? "learner, leader " + Long.toHexString(status.getLeader())
                : "member, leader " + Long.toHexString(status.getLeader()));
    }

    /** The channel to the local member kept while etcd runs: the health probe's, and the node's own reads. */
    synchronized EtcdMemberMaintenance localMember() {
        EtcdMemberMaintenance member = healthClient;
        if (member == null) {
            member = clients.member(endpoints.clientUrl());
            healthClient = member;
        }
        return member;
    }

    private void closeLocalMember() {
        EtcdMemberMaintenance member;
        synchronized (this) {
            member = healthClient;
            healthClient = null;
        }
        if (member != null) {
            member.close();
        }
    }

    static String mismatch(EtcdBootPlan.Identity want, long clusterId, long memberId) {
        if (want.clusterId() != clusterId) {
            return "cluster ID mismatch: record " + Long.toHexString(want.clusterId()) + ", etcd "
                    + Long.toHexString(clusterId) + " (member: record " + Long.toHexString(want.memberId())
                    + ", etcd " + Long.toHexString(memberId) + ")";
        }
        return "member ID mismatch: record " + Long.toHexString(want.memberId()) + ", etcd "
                + Long.toHexString(memberId) + " (cluster " + Long.toHexString(clusterId) + ")";
    }

    /** True once the running etcd answered with the expected IDs. */
    boolean verified() {
        return verified && isRunning();
    }

    /** As {@link #verified()}, asking etcd now rather than waiting for the supervisor's next health check. */
    boolean verifiedNow() {
        if (verified() || !isRunning()) {
            return verified();
        }
        try {
            // A look made while etcd was still starting leaves the channel in gRPC's reconnect backoff (1 s and up).
            localMember().reconnectNow();
            probe();
        } catch (Exception e) {
            return false;
        }
        return verified();
    }

    @Override
    public void stop() throws Exception {
        verified = false;
        Subscription watch = removalWatch;
        removalWatch = null;
        if (watch != null) {
            watch.close();
        }
        closeLocalMember();
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
