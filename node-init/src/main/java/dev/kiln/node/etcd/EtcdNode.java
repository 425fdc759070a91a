package dev.kiln.node.etcd;

import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.NodeRefusal.Reason;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.supervisor.Pidfile;
import dev.kiln.node.supervisor.Supervisor;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This control-plane node's etcd member: it bootstraps on request, otherwise joins by itself once a peer from its
 * config serves a cluster, and leaves or removes members on request. All state changes pass through {@link #lock}.
 */
public final class EtcdNode implements AutoCloseable {

    public record Settings(String name, String address, String etcdBinary, String etcdctlBinary,
            CertificateAuthority etcdCa, String clusterToken) {
    }

    /** What EtcdStatus reports. */
    public record MemberStatus(long clusterId, long memberId, StatusResponse status) {
    }

    private static final Duration JOIN_POLL = Duration.ofSeconds(1);
    private static final Duration PROMOTE_POLL = Duration.ofMillis(100);
    private static final Duration HEALTHY_WITHIN = Duration.ofSeconds(30);
    private static final Duration MEMBERSHIP_CHANGE_PATIENCE = Duration.ofSeconds(60);
    private static final Duration LEARNER_PATIENCE = Duration.ofMinutes(10);

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
    private EtcdPhase phase = EtcdPhase.PREPARING;
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

    /** Issues certificates, registers the etcd service and resumes whatever the disk says this member was doing. */
    public void boot() throws IOException {
        EtcdTlsFiles tls = EtcdCertificates.issue(settings.etcdCa(), settings.name(), settings.address(),
                disk.state().resolve("pki").resolve("etcd"));
        clients = new EtcdClients(tls);
        service = new EtcdService(settings.etcdBinary(), settings.name(), dataDir(), endpoints, tls,
                () -> extraArgs, clients);
        supervisor.register(service);
        // An etcd left running by a killed node-init must be gone before this node reports on its member.
        new Pidfile(disk.runDir().resolve(EtcdService.ID + ".pid")).reapOrphan(Duration.ofSeconds(5))
                .ifPresent(pid -> log.accept("killed process " + pid + " left running by a previous node-init"));
        Optional<EtcdMembershipRecord> record = record();
        synchronized (lock) {
            if (EtcdService.holdsMember(dataDir())) {
                supervisor.start(EtcdService.ID);
                boolean unpromoted = record.map(r -> r.origin() == EtcdMembershipRecord.Origin.JOINING).orElse(false);
                phase = unpromoted ? EtcdPhase.JOINING : EtcdPhase.RUNNING;
                if (unpromoted) {
                    long memberId = record.get().memberId();
                    background.execute(() -> finishJoinAfterRestart(memberId));
                }
                log.accept("etcd resumes from its data directory");
            } else if (record.map(r -> r.origin() == EtcdMembershipRecord.Origin.LEFT).orElse(false)) {
                phase = EtcdPhase.LEFT;
                log.accept("etcd member left earlier; this node waits for a reset or a new bootstrap");
            } else {
                phase = EtcdPhase.WAITING_FOR_CLUSTER;
                background.scheduleWithFixedDelay(this::joinIfClusterFound, 0, JOIN_POLL.toMillis(),
                        TimeUnit.MILLISECONDS);
                log.accept("etcd waits for a bootstrap or for a peer to join");
            }
        }
    }

    // ---- bootstrap

    public void bootstrap(boolean recover, boolean skipHashCheck) throws NodeRefusal {
        synchronized (lock) {
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
            synchronized (lock) {
                phase = EtcdPhase.RUNNING;
            }
            log.accept("etcd bootstrapped: cluster " + Long.toHexString(healthy.clusterId()));
        } catch (Exception e) {
            abandonMember();
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
        long deadline = System.nanoTime() + HEALTHY_WITHIN.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (EtcdAdmin admin = localAdmin()) {
                admin.get("kiln/bootstrap-check");
                StatusResponse status = admin.status(endpoints.clientUrl());
                if (status.getLeader() != 0) {
                    return new MemberStatus(status.getHeader().getClusterId(), status.getHeader().getMemberId(), status);
                }
            } catch (EtcdCallException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("etcd did not become healthy within " + HEALTHY_WITHIN.toSeconds() + " s"
                + (last == null ? "" : ": " + last.getMessage()));
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
            join();
        } catch (Exception e) {
            log.accept("etcd join failed, will retry: " + e.getMessage());
            abandonMember();
        }
    }

    private void join() throws Exception {
        try (EtcdAdmin cluster = new EtcdAdmin(clients.connect(peers))) {
            removeStaleSelf(cluster);
            EtcdMember added = addLearnerPatiently(cluster);
            long addedAt = System.nanoTime();
            EtcdClusterView view = cluster.members();
            new EtcdMembershipRecord(EtcdMembershipRecord.Origin.JOINING, added.id(), view.clusterId(), 0)
                    .save(recordFile());
            Map<String, String> initialCluster = new LinkedHashMap<>();
            for (EtcdMember member : view.members()) {
                String memberName = member.id() == added.id() ? settings.name() : member.name();
                for (URI peerUrl : member.peerUrls()) {
                    initialCluster.merge(memberName, peerUrl.toString(), (a, b) -> a + "," + memberName + "=" + b);
                }
            }
            service.launchNext(new EtcdLaunch.JoinExisting(initialCluster));
            supervisor.start(EtcdService.ID);
            promoteWhenInSync(cluster, added.id());
            long joinMillis = (System.nanoTime() - addedAt) / 1_000_000;
            new EtcdMembershipRecord(EtcdMembershipRecord.Origin.JOINED, added.id(), view.clusterId(), joinMillis)
                    .save(recordFile());
            synchronized (lock) {
                phase = EtcdPhase.RUNNING;
            }
            log.accept("etcd joined cluster " + Long.toHexString(view.clusterId()) + " as member "
                    + Long.toHexString(added.id()) + "; learner add to promoted took " + joinMillis + " ms");
        }
    }

    private void finishJoinAfterRestart(long memberId) {
        try (EtcdAdmin cluster = new EtcdAdmin(clients.connect(peers))) {
            promoteWhenInSync(cluster, memberId);
            EtcdMembershipRecord previous = record().orElseThrow();
            new EtcdMembershipRecord(EtcdMembershipRecord.Origin.JOINED, memberId, previous.clusterId(), 0)
                    .save(recordFile());
            synchronized (lock) {
                phase = EtcdPhase.RUNNING;
            }
            log.accept("etcd learner " + Long.toHexString(memberId) + " promoted after restart");
        } catch (Exception e) {
            log.accept("etcd learner promotion after restart failed: " + e.getMessage());
        }
    }

    /** A member that carries this node's name or peer URL is a leftover of an earlier life of this disk. */
    private void removeStaleSelf(EtcdAdmin cluster) throws Exception {
        EtcdClusterView view = cluster.members();
        for (EtcdMember member : view.members()) {
            if (member.name().equals(settings.name()) || member.peerUrls().contains(endpoints.peerUrl())) {
                log.accept("etcd removes stale member " + Long.toHexString(member.id()) + " with this node's identity");
                retryTransient(() -> cluster.remove(member.id()), MEMBERSHIP_CHANGE_PATIENCE, true);
            }
        }
    }

    private EtcdMember addLearnerPatiently(EtcdAdmin cluster) throws Exception {
        long deadline = System.nanoTime() + LEARNER_PATIENCE.toNanos();
        while (true) {
            try {
                return cluster.addLearner(endpoints.peerUrl());
            } catch (EtcdCallException e) {
                if (!e.refusal().isTransient() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    private void promoteWhenInSync(EtcdAdmin cluster, long memberId) throws Exception {
        long deadline = System.nanoTime() + LEARNER_PATIENCE.toNanos();
        while (true) {
            try {
                cluster.promote(memberId);
                return;
            } catch (EtcdCallException e) {
                if (e.getMessage().contains("not a learner")) {
                    return;
                }
                if (e.refusal() == EtcdRefusal.MEMBER_NOT_FOUND || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(PROMOTE_POLL.toMillis());
            }
        }
    }

    // ---- leave, remove, forfeit

    public void leave() throws NodeRefusal {
        synchronized (lock) {
            if (!phase.holdsMember() && isDataDirEmpty()) {
                return;
            }
        }
        try (EtcdAdmin cluster = clusterAdmin()) {
            EtcdClusterView view = cluster.members();
            Optional<EtcdMember> self = view.byName(settings.name()).or(() -> view.byPeerUrl(endpoints.peerUrl()));
            if (self.isPresent() && view.members().size() > 1) {
                retryTransient(() -> cluster.remove(self.get().id()), MEMBERSHIP_CHANGE_PATIENCE, true);
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
            retryTransient(() -> cluster.remove(memberId), MEMBERSHIP_CHANGE_PATIENCE, false);
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

    public EtcdClusterView members(boolean queryLocal) throws NodeRefusal {
        requireMember();
        try (EtcdAdmin admin = queryLocal ? localAdmin() : clusterAdmin()) {
            return admin.members();
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "listing members: " + e.getMessage(), e);
        }
    }

    public MemberStatus status() throws NodeRefusal {
        requireMember();
        try (EtcdAdmin local = localAdmin()) {
            StatusResponse status = local.status(endpoints.clientUrl());
            return new MemberStatus(status.getHeader().getClusterId(), status.getHeader().getMemberId(), status);
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd status: " + e.getMessage(), e);
        }
    }

    public long snapshot(OutputStream out) throws NodeRefusal {
        requireMember();
        try (EtcdAdmin local = localAdmin()) {
            return local.snapshot(out);
        } catch (EtcdCallException e) {
            throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd snapshot: " + e.getMessage(), e);
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
            if (phase != EtcdPhase.RUNNING && phase != EtcdPhase.JOINING) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED, "etcd is not running on this node (" + phase + ")");
            }
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
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(peer.getHost(), peer.getPort()), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean isDataDirEmpty() {
        try (var entries = Files.list(dataDir())) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return !Files.exists(dataDir());
        }
    }

    private interface EtcdCall {
        void run() throws EtcdCallException;
    }

    private static void retryTransient(EtcdCall call, Duration patience, boolean notFoundIsDone)
            throws EtcdCallException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                call.run();
                return;
            } catch (EtcdCallException e) {
                if (notFoundIsDone && e.refusal() == EtcdRefusal.MEMBER_NOT_FOUND) {
                    return;
                }
                if (!e.refusal().isTransient() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
    }

    /** Undoes a bootstrap or join that did not finish: no process, no data, back to waiting. */
    private void abandonMember() {
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

    private void stopAndEmpty() {
        supervisor.stop(EtcdService.ID);
        try {
            deleteRecursively(dataDir());
            Files.createDirectories(dataDir());
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
    }
}
