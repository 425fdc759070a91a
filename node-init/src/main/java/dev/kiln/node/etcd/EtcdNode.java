package dev.kiln.node.etcd;

import dev.failsafe.RetryPolicy;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.NodeRefusal.Reason;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.supervisor.Pidfile;
import dev.kiln.node.supervisor.Supervisor;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This control-plane node's etcd member: at boot it acts on {@link EtcdBootPlan}, it bootstraps on request, otherwise
 * joins by itself through {@link EtcdJoin} once a peer from its config serves a cluster, stops for good when the
 * cluster removes it, and leaves or removes members on request. All phase changes pass through {@link #lock}.
 */
public final class EtcdNode implements AutoCloseable {

    public record Settings(String name, String address, String etcdBinary, String etcdctlBinary,
            CertificateAuthority etcdCa, String clusterToken) {
    }

    /** What EtcdStatus reports. */
    public record MemberStatus(long clusterId, long memberId, StatusResponse status) {
    }

    // Each look for a serving peer is one TCP probe per peer, so a joiner can look often.
    private static final Duration JOIN_POLL = Duration.ofMillis(100);
    private static final Duration ROLLBACK_RETRY = Duration.ofMillis(250);
    private static final Duration JOIN_RETRY = Duration.ofSeconds(2);
    // A fresh single member elects itself within a second: look early, then back off to the old pace.
    private static final Duration HEALTH_POLL_FIRST = Duration.ofMillis(20);
    private static final Duration HEALTH_POLL = Duration.ofMillis(100);
    private static final Duration LISTEN_PROBE = Duration.ofMillis(200);
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    private static final Duration MEMBERSHIP_CHANGE_PATIENCE = Duration.ofSeconds(60);
    private static final Duration PREPARE_RETRY = Duration.ofSeconds(5);
    private static final Duration PEER_PROBE = Duration.ofMillis(300);

    private final Object lock = new Object();
    private final Settings settings;
    private final DiskLayout disk;
    private final Supervisor supervisor;
    private final EtcdEndpoints endpoints;
    private final Consumer<String> log;
    private final ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "etcd-membership");
        thread.setDaemon(true);
        return thread;
    });
    private volatile List<URI> peers = List.of();
    private volatile Map<String, String> extraArgs = Map.of();
    // Separate from the membership thread, which may be blocked in a join when etcd reports its removal.
    private final ScheduledExecutorService reactions = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "etcd-reactions");
        thread.setDaemon(true);
        return thread;
    });
    private volatile Optional<EtcdBootPlan.Identity> expected = Optional.empty();
    private EtcdPhase phase = EtcdPhase.PREPARING;
    private long removedFrom;
    private boolean leaving;
    private java.util.concurrent.ScheduledFuture<?> joinPoll;
    private EtcdClients clients;
    private EtcdService service;

    public EtcdNode(Settings settings, DiskLayout disk, Supervisor supervisor, Consumer<String> log) {
        this.settings = settings;
        this.disk = disk;
        this.supervisor = supervisor;
        this.endpoints = EtcdEndpoints.on(settings.address());
        this.log = log;
    }

    public void reconfigure(List<String> peerUrls, Map<String, String> newExtraArgs) {
        List<URI> parsed = new ArrayList<>();
        for (String url : peerUrls) {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (!uri.equals(endpoints.clientUrl())) {
                parsed.add(uri);
            }
        }
        this.peers = List.copyOf(parsed);
        this.extraArgs = Map.copyOf(newExtraArgs);
    }

    public EtcdPhase phase() {
        synchronized (lock) {
            return phase;
        }
    }

    public EtcdEndpoints endpoints() {
        return endpoints;
    }

    private Path recordFile() {
        return disk.state().resolve("etcd-membership.properties");
    }

    private Path dataDir() {
        return disk.etcdDataDir();
    }

    private Path uploadedSnapshot() {
        return recoverSnapshot().path();
    }

    public Optional<EtcdMembershipRecord> record() throws IOException {
        return EtcdMembershipRecord.load(recordFile());
    }

    /** Registers the etcd service, then acts on what the membership record and the data directory say. */
    public void boot() {
        EtcdTlsFiles tls = EtcdTlsFiles.in(pkiDir());
        clients = new EtcdClients(tls);
        service = new EtcdService(settings.etcdBinary(), settings.name(), dataDir(), endpoints, tls,
                () -> extraArgs, clients, () -> expected, observer());
        supervisor.register(service);
        prepare();
    }

    private Path pkiDir() {
        return disk.state().resolve("pki").resolve("etcd");
    }

    /** Certificates, orphans and the boot plan; a disk that refuses is reported on the service and retried. */
    private void prepare() {
        try {
            EtcdCertificates.issue(settings.etcdCa(), settings.name(), settings.address(), pkiDir());
            // An etcd left running by a killed node-init must be gone before this node reports on its member.
            new Pidfile(disk.runDir().resolve(EtcdService.ID + ".pid")).reapOrphan(Duration.ofSeconds(5))
                    .ifPresent(pid -> log.accept("killed process " + pid + " left running by a previous node-init"));
            EtcdBootPlan plan = EtcdBootPlan.decide(record(), EtcdDataDir.inspect(dataDir()));
            log.accept("etcd boot plan: " + plan);
            act(plan);
        } catch (IOException | RuntimeException e) {
            String reason = "etcd cannot be prepared: " + describe(e);
            log.accept(reason + "; retrying in " + PREPARE_RETRY.toSeconds() + " s");
            supervisor.hold(EtcdService.ID, reason);
            background.schedule(this::prepare, PREPARE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void act(EtcdBootPlan plan) throws IOException {
        if (plan instanceof EtcdBootPlan.AwaitCluster await) {
            if (await.wipeFirst()) {
                emptyDataDir();
            }
            if (await.forgetRecord()) {
                Files.deleteIfExists(recordFile());
            }
            awaitCluster();
        } else if (plan instanceof EtcdBootPlan.Resume resume) {
            expected = resume.expected();
            service.launchNext(null);
            synchronized (lock) {
                phase = resume.promotionPending() ? EtcdPhase.JOINING : EtcdPhase.RUNNING;
            }
            supervisor.start(EtcdService.ID);
            log.accept("etcd resumes from its data directory");
            if (resume.promotionPending()) {
                EtcdMembershipRecord joining = record().orElseThrow();
                background.execute(() -> finishJoinAfterRestart(joining));
            } else if (resume.expected().isEmpty()) {
                background.execute(() -> recordIdentityOnceVerified(resume.recordAs()));
            }
        } else if (plan instanceof EtcdBootPlan.RollBackJoin rollBack) {
            synchronized (lock) {
                phase = EtcdPhase.JOINING;
            }
            supervisor.note(EtcdService.ID, "rolling back a join that never wrote a WAL: removing learner "
                    + Long.toHexString(rollBack.learnerId()) + " from cluster " + Long.toHexString(rollBack.clusterId()));
            background.execute(() -> rollBackJoin(rollBack.learnerId()));
        } else if (plan instanceof EtcdBootPlan.RetractLearnerAdd) {
            // The next join removes any member with this node's peer URL before it adds its learner.
            emptyDataDir();
            awaitCluster();
        } else if (plan instanceof EtcdBootPlan.DataLost lost) {
            synchronized (lock) {
                phase = EtcdPhase.DATA_LOST;
            }
            supervisor.hold(EtcdService.ID, dataLostMessage(lost));
        } else if (plan instanceof EtcdBootPlan.StayLeft) {
            synchronized (lock) {
                phase = EtcdPhase.LEFT;
            }
            supervisor.note(EtcdService.ID, "etcd member left earlier; waiting for a reset or a new bootstrap");
        } else if (plan instanceof EtcdBootPlan.StayRemoved removed) {
            synchronized (lock) {
                phase = EtcdPhase.REMOVED;
                removedFrom = removed.clusterId();
            }
            supervisor.hold(EtcdService.ID, removedMessage(removed.clusterId()));
        }
    }

    private String dataLostMessage(EtcdBootPlan.DataLost lost) {
        return "etcd data of member " + Long.toHexString(lost.memberId()) + " of cluster "
                + Long.toHexString(lost.clusterId()) + " is missing; reset this node to join again";
    }

    static String removedMessage(long clusterId) {
        return "etcd: removed from cluster " + Long.toHexString(clusterId);
    }

    private void awaitCluster() {
        synchronized (lock) {
            phase = EtcdPhase.WAITING_FOR_CLUSTER;
            if (joinPoll == null) {
                joinPoll = background.scheduleWithFixedDelay(this::joinIfClusterFound, 0, JOIN_POLL.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
        supervisor.note(EtcdService.ID, "waiting for a bootstrap or for a peer that serves etcd");
        log.accept("etcd waits for a bootstrap or for a peer to join");
    }

    private EtcdService.Observer observer() {
        return new EtcdService.Observer() {
            @Override
            public void identityMismatch(String message) {
                reactions.execute(() -> {
                    log.accept("etcd stopped: " + message);
                    supervisor.hold(EtcdService.ID, message);
                });
            }

            @Override
            public void removedFromCluster() {
                reactions.execute(EtcdNode.this::becomeRemoved);
            }
        };
    }

    /** The cluster removed this member: etcd stops for good, and the record keeps it stopped across restarts. */
    private void becomeRemoved() {
        long clusterId;
        synchronized (lock) {
            // A member that leaves on request is removed too, but by its own choice: that ends in LEFT.
            if (phase == EtcdPhase.REMOVED || phase == EtcdPhase.LEFT || leaving) {
                return;
            }
            clusterId = expected.map(EtcdBootPlan.Identity::clusterId).orElse(0L);
        }
        try {
            EtcdMembershipRecord current = record().orElse(EtcdMembershipRecord.of(EtcdMembershipRecord.Origin.JOINED));
            if (clusterId == 0) {
                clusterId = current.clusterId();
            }
            new EtcdMembershipRecord(EtcdMembershipRecord.Origin.REMOVED, current.memberId(), clusterId,
                    current.joinMillis(), current.peerUrl()).save(recordFile());
        } catch (IOException e) {
            log.accept("could not record the removal: " + e.getMessage());
        }
        synchronized (lock) {
            phase = EtcdPhase.REMOVED;
            removedFrom = clusterId;
        }
        supervisor.hold(EtcdService.ID, removedMessage(clusterId));
        log.accept(removedMessage(clusterId) + "; etcd stays stopped until a reset");
    }

    private void recordIdentityOnceVerified(EtcdMembershipRecord.Origin origin) {
        try {
            MemberStatus healthy = awaitHealthy();
            expected = Optional.of(new EtcdBootPlan.Identity(healthy.clusterId(), healthy.memberId()));
            new EtcdMembershipRecord(origin, healthy.memberId(), healthy.clusterId(), 0).save(recordFile());
            log.accept("etcd identity recorded: cluster " + Long.toHexString(healthy.clusterId()) + " member "
                    + Long.toHexString(healthy.memberId()));
        } catch (Exception e) {
            log.accept("etcd identity could not be recorded: " + e.getMessage());
        }
    }

    // ---- bootstrap

    public void bootstrap(boolean recover, boolean skipHashCheck) throws NodeRefusal {
        synchronized (lock) {
            refuseIfStopped();
            Optional<BootstrapGuard.ServingPeer> serving = phase == EtcdPhase.WAITING_FOR_CLUSTER
                    || phase == EtcdPhase.LEFT ? findServingPeer() : Optional.empty();
            Optional<NodeRefusal> refusal = BootstrapGuard.check(phase, isDataDirEmpty(), serving);
            if (refusal.isPresent()) {
                throw refusal.get();
            }
            if (recover && !Files.exists(uploadedSnapshot())) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED,
                        "recover_etcd: no snapshot was uploaded with EtcdRecover");
            }
            phase = EtcdPhase.BOOTSTRAPPING;
        }
        try {
            EtcdMembershipRecord.of(EtcdMembershipRecord.Origin.BOOTSTRAPPING).save(recordFile());
            if (recover) {
                restoreSnapshot(skipHashCheck);
            }
            service.launchNext(new EtcdLaunch.NewCluster(settings.clusterToken()));
            supervisor.start(EtcdService.ID);
            MemberStatus healthy = awaitHealthy();
            new EtcdMembershipRecord(EtcdMembershipRecord.Origin.BOOTSTRAPPED, healthy.memberId(),
                    healthy.clusterId(), 0).save(recordFile());
            expected = Optional.of(new EtcdBootPlan.Identity(healthy.clusterId(), healthy.memberId()));
            service.launchNext(null);
            synchronized (lock) {
                phase = EtcdPhase.RUNNING;
            }
            log.accept("etcd bootstrapped: cluster " + Long.toHexString(healthy.clusterId()));
        } catch (Exception e) {
            stopAndForget();
            throw new NodeRefusal(Reason.FAILED, "bootstrap failed: " + e.getMessage(), e);
        }
    }

    private void restoreSnapshot(boolean skipHashCheck) throws IOException, InterruptedException {
        Path staging = disk.ephemeral().resolve("etcd-restore");
        boolean needsSkipHashCheck = !skipHashCheck && !SnapshotFormat.carriesHash(Files.size(uploadedSnapshot()));
        try {
            restoreSnapshotInto(staging, skipHashCheck);
        } catch (IOException e) {
            log.accept("etcd snapshot restore failed: " + e.getMessage());
            // etcdctl's output and file errors carry panics and absolute paths; the caller gets the gist only.
            throw new IOException("the uploaded snapshot could not be restored and was removed; upload another"
                    + (needsSkipHashCheck ? " (this one has no sha256: a copied database needs recover_skip_hash_check)"
                            : ""));
        } finally {
            deleteRecursively(staging);
            recoverSnapshot().discard();
        }
    }

    private void restoreSnapshotInto(Path staging, boolean skipHashCheck) throws IOException, InterruptedException {
        deleteRecursively(staging);
        List<String> command = new ArrayList<>(List.of(settings.etcdctlBinary(), "snapshot", "restore",
                uploadedSnapshot().toString(),
                "--name=" + settings.name(),
                "--initial-cluster=" + settings.name() + "=" + endpoints.peerUrl(),
                "--initial-advertise-peer-urls=" + endpoints.peerUrl(),
                "--initial-cluster-token=" + settings.clusterToken(),
                "--data-dir=" + staging));
        if (skipHashCheck) {
            command.add("--skip-hash-check");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        Process restore = builder.start();
        String output = new String(restore.getInputStream().readAllBytes());
        if (restore.waitFor() != 0) {
            throw new IOException("etcdctl snapshot restore failed: " + output.strip());
        }
        deleteRecursively(dataDir());
        Files.move(staging, dataDir(), StandardCopyOption.ATOMIC_MOVE);
    }

    private MemberStatus awaitHealthy() throws Exception {
        RetryPolicy<MemberStatus> untilLed = RetryPolicy.<MemberStatus>builder()
                .handle(EtcdCallException.class)
                .handleResult(null)
                .withBackoff(HEALTH_POLL_FIRST, HEALTH_POLL)
                .withMaxDuration(HEALTHY_WITHIN)
                .withMaxRetries(-1)
                .build();
        MemberStatus led;
        try {
            led = EtcdRetries.get(untilLed, this::ledStatus);
        } catch (EtcdCallException e) {
            throw new IOException("etcd did not become healthy within " + HEALTHY_WITHIN.toSeconds() + " s: "
                    + e.getMessage(), e);
        }
        if (led == null) {
            throw new IOException("etcd did not become healthy within " + HEALTHY_WITHIN.toSeconds() + " s");
        }
        return led;
    }

    /** The local member's status once it serves reads and knows a leader; null before that. */
    private MemberStatus ledStatus() throws EtcdCallException {
        // Until etcd listens, a client's refused connection costs gRPC's reconnect backoff (a second) before it
        // tries again; a plain TCP probe is retried at this poll's own pace instead.
        if (!EtcdRetries.acceptsConnections(endpoints.clientUrl(), LISTEN_PROBE)) {
            return null;
        }
        try (EtcdAdmin admin = localAdmin()) {
            admin.get("kiln/bootstrap-check");
            StatusResponse status = admin.status(endpoints.clientUrl());
            if (status.getLeader() == 0) {
                return null;
            }
            return new MemberStatus(status.getHeader().getClusterId(), status.getHeader().getMemberId(), status);
        }
    }

    // ---- join

    private void joinIfClusterFound() {
        try {
            synchronized (lock) {
                if (phase != EtcdPhase.WAITING_FOR_CLUSTER) {
                    return;
                }
            }
            Optional<BootstrapGuard.ServingPeer> serving = findServingPeer();
            if (serving.isEmpty()) {
                return;
            }
            synchronized (lock) {
                if (phase != EtcdPhase.WAITING_FOR_CLUSTER) {
                    return;
                }
                phase = EtcdPhase.JOINING;
            }
            log.accept("etcd found a cluster at " + serving.get().peerUrl() + "; joining as a learner");
            try (EtcdAdmin cluster = new EtcdAdmin(clients.connect(peers))) {
                EtcdMembershipRecord joined = join().run(cluster);
                service.launchNext(null);
                synchronized (lock) {
                    phase = EtcdPhase.RUNNING;
                }
                log.accept("etcd joined cluster " + Long.toHexString(joined.clusterId()) + " as member "
                        + Long.toHexString(joined.memberId()) + "; learner add to promoted took "
                        + joined.joinMillis() + " ms");
            }
        } catch (Exception e) {
            boolean removed;
            synchronized (lock) {
                removed = phase == EtcdPhase.REMOVED;
            }
            if (!removed) {
                log.accept("etcd join failed, will retry: " + describe(e));
                supervisor.note(EtcdService.ID, "join failed, will retry: " + describe(e));
                abandonJoin();
            }
        }
    }

    private void finishJoinAfterRestart(EtcdMembershipRecord joining) {
        RetryPolicy<Object> whileStillJoining = RetryPolicy.builder()
                .handle(Exception.class)
                .abortOn(InterruptedException.class)
                .abortIf((result, failure) -> failure != null && !isJoining())
                .withDelay(JOIN_RETRY)
                .withMaxRetries(-1)
                .onRetry(event -> log.accept("etcd learner promotion after restart failed, will retry: "
                        + describe((Exception) event.getLastException())))
                .build();
        try {
            EtcdRetries.get(whileStillJoining, () -> {
                try (EtcdAdmin cluster = clusterAdmin()) {
                    join().finish(cluster, joining);
                }
                return null;
            });
        } catch (Exception e) {
            return;
        }
        synchronized (lock) {
            if (phase == EtcdPhase.JOINING) {
                phase = EtcdPhase.RUNNING;
            }
        }
        log.accept("etcd learner " + Long.toHexString(joining.memberId()) + " promoted after restart");
    }

    private boolean isJoining() {
        synchronized (lock) {
            return phase == EtcdPhase.JOINING;
        }
    }

    /** Removes the recorded learner through a serving peer, wipes, then joins like a fresh node. */
    private void rollBackJoin(long learnerId) {
        RetryPolicy<Boolean> untilRolledBack = RetryPolicy.<Boolean>builder()
                .handle(Exception.class)
                .handleResult(false)
                .abortOn(InterruptedException.class)
                .withDelay(ROLLBACK_RETRY)
                .withMaxRetries(-1)
                .onFailedAttempt(event -> {
                    if (event.getLastException() != null) {
                        supervisor.note(EtcdService.ID, "rolling back the join of learner "
                                + Long.toHexString(learnerId) + " failed, will retry: "
                                + describe((Exception) event.getLastException()));
                    }
                })
                .build();
        try {
            EtcdRetries.get(untilRolledBack, () -> rollBackThroughServingPeer(learnerId));
        } catch (Exception e) {
            return;
        }
        log.accept("etcd join rolled back: learner " + Long.toHexString(learnerId) + " removed, data wiped");
        awaitCluster();
    }

    /** False while no peer serves etcd yet. */
    private boolean rollBackThroughServingPeer(long learnerId) throws Exception {
        if (findServingPeer().isEmpty()) {
            return false;
        }
        try (EtcdAdmin cluster = new EtcdAdmin(clients.connect(peers))) {
            join().rollBack(cluster, learnerId);
        }
        emptyDataDir();
        Files.deleteIfExists(recordFile());
        return true;
    }

    private EtcdJoin join() {
        return new EtcdJoin(new EtcdJoin.Node() {
            @Override
            public String name() {
                return settings.name();
            }

            @Override
            public URI peerUrl() {
                return endpoints.peerUrl();
            }

            @Override
            public Path recordFile() {
                return EtcdNode.this.recordFile();
            }

            @Override
            public EtcdService service() {
                return service;
            }

            @Override
            public void startEtcd() {
                supervisor.start(EtcdService.ID);
            }

            @Override
            public void expect(EtcdBootPlan.Identity identity) {
                expected = Optional.of(identity);
            }

            @Override
            public void say(String message) {
                supervisor.note(EtcdService.ID, message);
                log.accept(message);
            }

            @Override
            public void log(String message) {
                log.accept(message);
            }
        });
    }

    // ---- leave, remove, forfeit

    public void leave() throws NodeRefusal {
        synchronized (lock) {
            if (!phase.holdsMember() && isDataDirEmpty() || phase == EtcdPhase.REMOVED) {
                return;
            }
            leaving = true;
        }
        try {
            leaveNow();
        } finally {
            synchronized (lock) {
                leaving = false;
            }
        }
    }

    private void leaveNow() throws NodeRefusal {
        try (EtcdAdmin cluster = clusterAdmin()) {
            EtcdClusterView view = cluster.members();
            Optional<EtcdMember> self = view.byName(settings.name()).or(() -> view.byPeerUrl(endpoints.peerUrl()));
            if (self.isPresent() && view.members().size() > 1) {
                EtcdRetries.untilDone(() -> cluster.remove(self.get().id()), MEMBERSHIP_CHANGE_PATIENCE, true);
            }
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "leaving etcd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeRefusal(Reason.FAILED, "interrupted while leaving etcd");
        }
        stopAndEmpty();
        try {
            EtcdMembershipRecord.of(EtcdMembershipRecord.Origin.LEFT).save(recordFile());
        } catch (IOException e) {
            throw new NodeRefusal(Reason.FAILED, "recording the leave: " + e.getMessage(), e);
        }
        synchronized (lock) {
            phase = EtcdPhase.LEFT;
        }
        log.accept("etcd member left the cluster and its data was removed");
    }

    public void removeMember(long memberId) throws NodeRefusal {
        requireMember();
        try (EtcdAdmin cluster = clusterAdmin()) {
            EtcdClusterView view = cluster.members();
            if (view.byId(memberId).isEmpty()) {
                throw new NodeRefusal(Reason.NOT_FOUND, "etcd member " + Long.toHexString(memberId) + " not found");
            }
            if (view.byId(memberId).get().name().equals(settings.name())) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED,
                        "member " + Long.toHexString(memberId) + " is this node; use EtcdLeaveCluster");
            }
            EtcdRetries.untilDone(() -> cluster.remove(memberId), MEMBERSHIP_CHANGE_PATIENCE, false);
            log.accept("etcd member " + Long.toHexString(memberId) + " removed");
        } catch (EtcdCallException e) {
            throw new NodeRefusal(e.refusal() == EtcdRefusal.MEMBER_NOT_FOUND ? Reason.NOT_FOUND
                    : Reason.PRECONDITION_FAILED, "removing member: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeRefusal(Reason.FAILED, "interrupted while removing a member");
        }
    }

    /** Returns the name of the member that now leads, or an empty string when this member did not lead. */
    public String forfeitLeadership() throws NodeRefusal {
        requireMember();
        try (EtcdAdmin local = localAdmin()) {
            StatusResponse status = local.status(endpoints.clientUrl());
            long self = status.getHeader().getMemberId();
            if (status.getLeader() != self) {
                return "";
            }
            EtcdClusterView view = local.members();
            Optional<EtcdMember> successor = view.members().stream()
                    .filter(member -> member.id() != self && !member.learner() && member.started())
                    .findFirst();
            if (successor.isEmpty()) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED, "no other voting member to take leadership");
            }
            local.moveLeader(successor.get().id());
            log.accept("etcd leadership moved to " + successor.get().name());
            return successor.get().name();
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "forfeiting leadership: " + e.getMessage(), e);
        }
    }

    // ---- reads

    /** Through the kept channel to the local member; without {@code queryLocal}, through any peer if it fails. */
    public EtcdClusterView members(boolean queryLocal) throws NodeRefusal {
        requireMember();
        try {
            return service.localMember().members();
        } catch (EtcdCallException e) {
            if (queryLocal) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED, "listing members: " + e.getMessage(), e);
            }
        }
        try (EtcdAdmin admin = clusterAdmin()) {
            return admin.members();
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "listing members: " + e.getMessage(), e);
        }
    }

    public MemberStatus status() throws NodeRefusal {
        requireMember();
        try {
            StatusResponse status = new StatusResponse(service.localMember().status());
            return new MemberStatus(status.getHeader().getClusterId(), status.getHeader().getMemberId(), status);
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd status: " + e.getMessage(), e);
        }
    }

    /** Every voting member but {@code self}, each with why it did not answer its status, if it did not. */
    public List<MemberHealth> otherVoters(long self) throws NodeRefusal {
        requireMember();
        try (EtcdAdmin admin = clusterAdmin()) {
            List<MemberHealth> voters = new ArrayList<>();
            for (EtcdMember member : admin.members().members()) {
                if (member.id() != self && !member.learner()) {
                    voters.add(health(admin, member));
                }
            }
            return voters;
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "listing members: " + e.getMessage(), e);
        }
    }

    private static MemberHealth health(EtcdAdmin admin, EtcdMember member) {
        if (member.clientUrls().isEmpty()) {
            return new MemberHealth(member, Optional.of("never started"));
        }
        try {
            admin.status(member.clientUrls().get(0));
            return new MemberHealth(member, Optional.empty());
        } catch (EtcdCallException e) {
            return new MemberHealth(member, Optional.of(e.getMessage()));
        }
    }

    /** The alarms raised in the cluster, as the local member reports them. */
    public List<MemberAlarm> alarms() throws NodeRefusal {
        requireMember();
        try (EtcdMemberMaintenance alarms = clients.member(endpoints.clientUrl())) {
            return alarms.list();
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd alarm list: " + e.getMessage(), e);
        }
    }

    /** Disarms every raised alarm through the local member and returns those disarmed. */
    public List<MemberAlarm> disarmAlarms() throws NodeRefusal {
        requireMember();
        try (EtcdMemberMaintenance alarms = clients.member(endpoints.clientUrl())) {
            List<MemberAlarm> disarmed = alarms.disarmAll();
            disarmed.forEach(alarm -> log.accept("etcd alarm " + alarm.type() + " of member "
                    + Long.toHexString(alarm.memberId()) + " disarmed"));
            return disarmed;
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd alarm disarm: " + e.getMessage(), e);
        }
    }

    /** Defragments the local member only, as defragmenting is heavy and blocks the member while it runs. */
    public void defragment() throws NodeRefusal {
        requireMember();
        try (EtcdAdmin local = localAdmin()) {
            local.defragment(endpoints.clientUrl());
            log.accept("etcd defragmented");
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd defragment: " + e.getMessage(), e);
        }
    }

    /** {@code onRevision} gets the revision the snapshot holds before its first byte is written. */
    public long snapshot(OutputStream out, java.util.function.LongConsumer onRevision) throws NodeRefusal {
        requireMember();
        try (EtcdAdmin local = localAdmin()) {
            return local.snapshot(out, onRevision);
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd snapshot: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a snapshot to a spool file on EPHEMERAL and returns it, for the caller to send and delete; a snapshot
     * that fails leaves no spool.
     */
    public Path spoolSnapshot(java.util.function.LongConsumer onRevision) throws NodeRefusal {
        Path spool;
        try {
            spool = new SnapshotSpool(disk.ephemeral()).create();
        } catch (IOException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd snapshot: no spool on EPHEMERAL: "
                    + e.getMessage(), e);
        }
        try (OutputStream out = SnapshotSpool.writeTo(spool)) {
            snapshot(out, onRevision);
            return spool;
        } catch (IOException | NodeRefusal | RuntimeException e) {
            try {
                Files.deleteIfExists(spool);
            } catch (IOException ignored) {
                // the next spool removes it once abandoned
            }
            if (e instanceof NodeRefusal refusal) {
                throw refusal;
            }
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd snapshot: writing the spool on EPHEMERAL failed: "
                    + e.getMessage(), e);
        }
    }

    /** Where an EtcdRecover upload waits on EPHEMERAL until a Bootstrap with recover_etcd restores it. */
    public RecoverSnapshot recoverSnapshot() {
        return new RecoverSnapshot(disk.ephemeral());
    }

    /** A test hook for the node's own tests: reads and writes through the local member. */
    public EtcdAdmin localAdmin() {
        return new EtcdAdmin(clients.connect(List.of(endpoints.clientUrl())));
    }

    private EtcdAdmin clusterAdmin() {
        List<URI> all = new ArrayList<>();
        all.add(endpoints.clientUrl());
        all.addAll(peers);
        return new EtcdAdmin(clients.connect(all));
    }

    // ---- helpers

    private void requireMember() throws NodeRefusal {
        synchronized (lock) {
            refuseIfStopped();
            if (phase != EtcdPhase.RUNNING && phase != EtcdPhase.JOINING) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd is not running on this node (" + phase + ")");
            }
        }
    }

    /** A removed member or one whose data is gone answers every etcd call with why; the caller holds the lock. */
    private void refuseIfStopped() throws NodeRefusal {
        if (phase == EtcdPhase.REMOVED) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, removedMessage(removedFrom));
        }
        if (phase == EtcdPhase.DATA_LOST) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, supervisor.snapshot(EtcdService.ID)
                    .map(snapshot -> snapshot.health().message()).orElse("etcd data is missing; reset this node"));
        }
    }

    private Optional<BootstrapGuard.ServingPeer> findServingPeer() {
        for (URI peer : peers) {
            if (!acceptsConnections(peer)) {
                continue;
            }
            try (EtcdAdmin admin = new EtcdAdmin(clients.connect(List.of(peer)))) {
                EtcdClusterView view = admin.members();
                return Optional.of(new BootstrapGuard.ServingPeer(peer.toString(), view.clusterId()));
            } catch (EtcdCallException e) {
                log.accept("etcd peer " + peer + " is reachable but serves no cluster: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static boolean acceptsConnections(URI peer) {
        return EtcdRetries.acceptsConnections(peer, PEER_PROBE);
    }

    private boolean isDataDirEmpty() {
        try (var entries = Files.list(dataDir())) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return !Files.exists(dataDir());
        }
    }


    /** Undoes a bootstrap that did not finish: no process, no data, no record, back to waiting. */
    private void stopAndForget() {
        stopAndEmpty();
        try {
            Files.deleteIfExists(recordFile());
        } catch (IOException e) {
            log.accept("could not clear the etcd membership record: " + e.getMessage());
        }
        synchronized (lock) {
            phase = EtcdPhase.WAITING_FOR_CLUSTER;
        }
    }

    /**
     * A join that failed part-way: a learner whose etcd already wrote its WAL keeps running and is promoted later;
     * anything earlier is wiped, and the next join removes the learner by this node's peer URL.
     */
    private void abandonJoin() {
        try {
            EtcdBootPlan plan = EtcdBootPlan.decide(record(), EtcdDataDir.inspect(dataDir()));
            if (plan instanceof EtcdBootPlan.Resume resume && resume.promotionPending() && service.isRunning()) {
                EtcdMembershipRecord joining = record().orElseThrow();
                background.execute(() -> finishJoinAfterRestart(joining));
                return;
            }
        } catch (IOException e) {
            log.accept("could not read the etcd membership record: " + e.getMessage());
        }
        stopAndForget();
    }

    private void emptyDataDir() throws IOException {
        deleteRecursively(dataDir());
        Files.createDirectories(dataDir());
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void stopAndEmpty() {
        supervisor.stop(EtcdService.ID);
        try {
            emptyDataDir();
        } catch (IOException e) {
            log.accept("could not empty the etcd data directory: " + e.getMessage());
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        background.shutdownNow();
        reactions.shutdownNow();
    }
}
