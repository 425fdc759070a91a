package dev.kiln.testenv.sim;

import dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode;
import dev.kiln.machinery.config.ConfigParser;
import dev.kiln.machinery.config.ConfigProblem;
import dev.kiln.machinery.config.ConfigWriter;
import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.ParseResult;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.pki.CertificateRequest;
import dev.kiln.machinery.pki.IssuedCertificate;
import io.grpc.Server;
import io.grpc.Status;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.Yaml;

/**
 * One simulated machine: its "disk" (stored config, etcd membership record, maintenance identity on META), its boot
 * into maintenance or configured mode, and what the machine API asks of it, after node-init's {@code Machine} and
 * {@code EtcdNode}. A reboot closes the listener and serves again after the fleet's reboot delay.
 */
public final class SimulatedMachine {

    /** The machine stages in the wire order of the machine API's {@code MachineStatusEvent.MachineStage}. */
    public enum Stage { UNKNOWN, BOOTING, INSTALLING, MAINTENANCE, RUNNING, REBOOTING, SHUTTING_DOWN, RESETTING, UPGRADING }

    /** What node-init keeps on STATE and EPHEMERAL about its etcd member. */
    private record EtcdRecord(SimulatedEtcd cluster, long memberId, boolean left) {
    }

    private record MaintenanceIdentity(String certificatePem, String keyPem, String fingerprint) {
    }

    static final int MAX_CONFIG_BYTES = ConfigParser.MAX_CONFIG_BYTES;
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final long REPLY_GRACE_MILLIS = 300;
    private static final List<String> LIVE_PREFIXES = List.of("debug", "persist", "machine.install",
            "cluster.controlPlane", "cluster.etcd.peers", "cluster.etcd.extraArgs");

    private final SimulatedFleet fleet;
    private final String defaultHostname;
    private final String address;
    private final int port;
    private final SimulatedEvents events = new SimulatedEvents();

    // disk
    private String storedConfig;
    private volatile EtcdRecord etcdRecord;
    private boolean recoverUploaded;
    private MaintenanceIdentity maintenanceIdentity;

    // this boot
    private volatile Stage stage = Stage.BOOTING;
    private volatile boolean bootedInMaintenance;
    private volatile boolean serving;
    private volatile MachineConfig config;
    private volatile String hostname;
    private volatile EtcdPhase etcdPhase = EtcdPhase.NONE;
    private Server server;
    private ScheduledFuture<?> joinPoll;
    private boolean halted;
    private long bootCount;

    SimulatedMachine(SimulatedFleet fleet, String hostname, String address, int port) {
        this.fleet = fleet;
        this.defaultHostname = hostname;
        this.hostname = hostname;
        this.address = address;
        this.port = port;
    }

    public String address() {
        return address;
    }

    public String endpoint() {
        return address + ":" + port;
    }

    /** The name it was started with: its inventory name, as a KilnServer is named; the config may rename the host. */
    public String name() {
        return defaultHostname;
    }

    public String hostname() {
        return hostname;
    }

    public Stage stage() {
        return stage;
    }

    /** True for the whole boot of a machine that came up without a config, until it goes down. */
    public boolean inMaintenance() {
        return bootedInMaintenance;
    }

    /** Whether the machine API listens now (false while rebooting or halted). */
    public boolean serving() {
        return serving;
    }

    public synchronized long boots() {
        return bootCount;
    }

    /** The maintenance certificate's SHA-256 fingerprint, as node-init prints it. */
    public synchronized String fingerprint() {
        return identity().fingerprint();
    }

    /** This machine's etcd member: cluster ID and member ID, when it holds one. */
    public synchronized Optional<long[]> etcdMember() {
        return etcdRecord == null || etcdRecord.left() ? Optional.empty()
                : Optional.of(new long[] {etcdRecord.cluster().clusterId(), etcdRecord.memberId()});
    }

    /** Voters of the cluster this machine's member belongs to, or 0. */
    long voters() {
        EtcdRecord record = etcdRecord;
        return record == null || record.left() ? 0 : record.cluster().voters();
    }

    EtcdPhase etcdPhase() {
        return etcdPhase;
    }

    SimulatedEvents events() {
        return events;
    }

    // ---- boot

    synchronized void boot() {
        bootCount++;
        halted = false;
        hostname = defaultHostname;
        config = null;
        etcdPhase = EtcdPhase.NONE;
        bootedInMaintenance = false;
        stage = Stage.BOOTING;
        if (storedConfig == null) {
            MaintenanceIdentity identity = identity();
            server = fleet.serve(this, new SimulatedTls.Maintenance(identity.certificatePem(), identity.keyPem()));
            bootedInMaintenance = true;
            serving = true;
            enter(Stage.MAINTENANCE, "no config: waiting for ApplyConfiguration");
            return;
        }
        MachineConfig stored = parse(storedConfig).orElseThrow();
        config = stored;
        if (stored.machine().network() != null && stored.machine().network().hostname() != null) {
            hostname = stored.machine().network().hostname();
        }
        CertificateAuthority machineCa = CertificateAuthority.fromPem(stored.machine().ca().decodedCrt(),
                stored.machine().ca().decodedKey());
        server = fleet.serve(this, SimulatedTls.configured(machineCa, hostname, address, stored.machine().certSANs()));
        serving = true;
        if (stored.machine().isControlPlane() && stored.cluster().etcd() != null) {
            bootEtcd();
        }
        enter(Stage.RUNNING, "configured as " + stored.machine().type().yamlName());
    }

    private MaintenanceIdentity identity() {
        if (maintenanceIdentity == null) {
            CertificateAuthority selfSigner = CertificateAuthority.generate("kiln-maintenance-" + defaultHostname,
                    VALIDITY);
            IssuedCertificate cert = selfSigner.issue(CertificateRequest.server(defaultHostname,
                    List.of(defaultHostname, "localhost"), List.of(address), VALIDITY));
            maintenanceIdentity = new MaintenanceIdentity(cert.certificatePem(), cert.keyPem(), cert.fingerprint());
        }
        return maintenanceIdentity;
    }

    /** The boot plan of node-init reduced to the record: resume the member, stay left or removed, or wait. */
    private void bootEtcd() {
        EtcdRecord record = etcdRecord;
        if (record == null) {
            awaitCluster();
        } else if (record.left()) {
            etcdPhase = EtcdPhase.LEFT;
        } else {
            Optional<SimulatedEtcd.Member> member = record.cluster().member(record.memberId());
            if (member.isEmpty()) {
                etcdPhase = EtcdPhase.REMOVED;
            } else if (member.get().learner()) {
                etcdPhase = EtcdPhase.JOINING;
                schedulePromotion(record.cluster(), record.memberId());
            } else {
                etcdPhase = EtcdPhase.RUNNING;
            }
        }
    }

    private void awaitCluster() {
        etcdPhase = EtcdPhase.WAITING_FOR_CLUSTER;
        long boot = bootCount;
        joinPoll = fleet.timers().scheduleWithFixedDelay(() -> joinIfClusterFound(boot), 0,
                fleet.settings().joinPoll().toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void joinIfClusterFound(long boot) {
        if (boot != bootCount || etcdPhase != EtcdPhase.WAITING_FOR_CLUSTER || !serving) {
            return;
        }
        Optional<ServingPeer> serving = servingPeer();
        if (serving.isEmpty()) {
            return;
        }
        cancelJoinPoll();
        SimulatedEtcd cluster = serving.get().cluster();
        SimulatedEtcd.Member learner = cluster.addLearner(hostname, peerUrl(), clientUrl());
        fleet.ownMember(learner.id(), this);
        etcdRecord = new EtcdRecord(cluster, learner.id(), false);
        etcdPhase = EtcdPhase.JOINING;
        note("etcd joins cluster " + Long.toHexString(cluster.clusterId()) + " as learner "
                + Long.toHexString(learner.id()));
        schedulePromotion(cluster, learner.id());
    }

    private void schedulePromotion(SimulatedEtcd cluster, long memberId) {
        long boot = bootCount;
        fleet.timers().schedule(() -> promote(boot, cluster, memberId), fleet.settings().learnerCatchUp().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private synchronized void promote(long boot, SimulatedEtcd cluster, long memberId) {
        if (boot != bootCount || etcdPhase != EtcdPhase.JOINING) {
            return;
        }
        if (cluster.leader(fleet::memberUp) == 0) {
            schedulePromotion(cluster, memberId);
            return;
        }
        if (cluster.promote(memberId)) {
            etcdPhase = EtcdPhase.RUNNING;
            note("etcd learner " + Long.toHexString(memberId) + " promoted");
        } else {
            etcdPhase = EtcdPhase.REMOVED;
        }
    }

    private record ServingPeer(String peerUrl, SimulatedEtcd cluster) {
    }

    /** The cluster a peer named in the config serves, if any answers. */
    private Optional<ServingPeer> servingPeer() {
        for (String peer : config.cluster().etcd().peers()) {
            String host = URI.create(peer).getHost();
            if (host == null || host.equals(address)) {
                continue;
            }
            Optional<SimulatedEtcd> cluster = fleet.machineAt(host).flatMap(SimulatedMachine::servedCluster);
            if (cluster.isPresent()) {
                return Optional.of(new ServingPeer(peer, cluster.get()));
            }
        }
        return Optional.empty();
    }

    /** The cluster this machine's etcd serves to peers now; read without its lock, as a peer probe is. */
    private Optional<SimulatedEtcd> servedCluster() {
        EtcdRecord record = etcdRecord;
        return serving && etcdPhase == EtcdPhase.RUNNING && record != null && !record.left()
                && record.cluster().member(record.memberId()).isPresent() ? Optional.of(record.cluster())
                : Optional.empty();
    }

    private void cancelJoinPoll() {
        if (joinPoll != null) {
            joinPoll.cancel(false);
            joinPoll = null;
        }
    }

    private String peerUrl() {
        return "https://" + address + ":2380";
    }

    private String clientUrl() {
        return "https://" + address + ":2379";
    }

    // ---- config

    record Applied(Mode mode, String details, List<String> warnings) {
    }

    Applied applyConfiguration(byte[] data, Mode mode, boolean dryRun) throws Refusal {
        if (data.length > MAX_CONFIG_BYTES) {
            throw new Refusal(Status.Code.INVALID_ARGUMENT, "machine config is " + data.length
                    + " bytes; a node accepts at most " + MAX_CONFIG_BYTES + " bytes (1 MiB)");
        }
        String text = new String(data, StandardCharsets.UTF_8);
        ParseResult parsed = new ConfigParser().parse(text);
        if (parsed instanceof ParseResult.Invalid invalid) {
            throw new Refusal(Status.Code.INVALID_ARGUMENT, "invalid machine config: "
                    + invalid.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        }
        MachineConfig next = ((ParseResult.Parsed) parsed).config();
        List<String> warnings = parsed.warnings().stream().map(ConfigProblem::toString).toList();
        synchronized (this) {
            if (bootedInMaintenance && stage != Stage.MAINTENANCE) {
                throw new Refusal(Status.Code.ABORTED,
                        "a config was already accepted; the node is leaving maintenance mode");
            }
            if (bootedInMaintenance) {
                if (mode == Mode.TRY || mode == Mode.STAGED) {
                    throw new Refusal(Status.Code.FAILED_PRECONDITION, mode + " mode needs a configured node;"
                            + " maintenance mode takes AUTO, REBOOT or NO_REBOOT");
                }
                if (!dryRun) {
                    storedConfig = text;
                    enter(Stage.BOOTING, "config accepted; leaving maintenance mode");
                    requestReboot("leaving maintenance mode");
                }
                return new Applied(Mode.REBOOT, (dryRun ? "dry run: " : "")
                        + "config stored; the node leaves maintenance mode, installs if asked and boots into it",
                        warnings);
            }
            return applyConfigured(text, next, mode, dryRun, warnings);
        }
    }

    /** A configured node: no change, a live reload (peers, extra args), or a reboot, as node-init's ApplyPlan. */
    private Applied applyConfigured(String text, MachineConfig next, Mode mode, boolean dryRun, List<String> warnings)
            throws Refusal {
        if (mode == Mode.STAGED || mode == Mode.TRY) {
            throw new Refusal(Status.Code.UNIMPLEMENTED, "the simulator does not stage or try configs");
        }
        List<String> changed = new ArrayList<>();
        diff("", tree(config), tree(next), changed);
        if (changed.isEmpty() && mode != Mode.REBOOT) {
            return new Applied(mode == Mode.AUTO ? Mode.NO_REBOOT : mode, "no changes", warnings);
        }
        List<String> needReboot = changed.stream().filter(path -> LIVE_PREFIXES.stream().noneMatch(prefix ->
                path.equals(prefix) || path.startsWith(prefix + ".") || path.startsWith(prefix + "["))).toList();
        String prefix = dryRun ? "dry run: " : "";
        if (mode == Mode.REBOOT || (mode == Mode.AUTO && !needReboot.isEmpty())) {
            if (!dryRun) {
                storedConfig = text;
                requestReboot("rebooting to apply the new config");
            }
            return new Applied(Mode.REBOOT, prefix + (mode == Mode.REBOOT ? "config stored; rebooting"
                    : "rebooting to apply " + needReboot), warnings);
        }
        if (!needReboot.isEmpty()) {
            throw new Refusal(Status.Code.FAILED_PRECONDITION, "these changes need a reboot: " + needReboot);
        }
        if (!dryRun) {
            storedConfig = text;
            config = next;
            note("config reloaded: " + changed);
        }
        return new Applied(Mode.NO_REBOOT, prefix + "applied without reboot: " + changed, warnings);
    }

    private static Optional<MachineConfig> parse(String text) {
        return new ConfigParser().parse(text) instanceof ParseResult.Parsed parsed ? Optional.of(parsed.config())
                : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> tree(MachineConfig config) {
        return (Map<String, Object>) new Yaml().load(new ConfigWriter().write(config));
    }

    @SuppressWarnings("unchecked")
    private static void diff(String path, Object before, Object after, List<String> out) {
        if (before instanceof Map<?, ?> left && after instanceof Map<?, ?> right) {
            Set<String> keys = new TreeSet<>();
            left.keySet().forEach(key -> keys.add(String.valueOf(key)));
            right.keySet().forEach(key -> keys.add(String.valueOf(key)));
            for (String key : keys) {
                diff(path.isEmpty() ? key : path + "." + key,
                        ((Map<String, Object>) left).get(key), ((Map<String, Object>) right).get(key), out);
            }
        } else if (!Objects.equals(before, after)) {
            out.add(path.isEmpty() ? "(root)" : path);
        }
    }

    // ---- etcd

    /** node-init's checks before any etcd call: configured, a control-plane node, a member held here. */
    private SimulatedEtcd requireMember() throws Refusal {
        requireEtcdNode();
        refreshRemoved();
        if (etcdPhase == EtcdPhase.REMOVED) {
            throw new Refusal(Status.Code.FAILED_PRECONDITION, "etcd: removed from cluster "
                    + Long.toHexString(etcdRecord.cluster().clusterId()));
        }
        if (!etcdPhase.holdsMember()) {
            throw new Refusal(Status.Code.FAILED_PRECONDITION, "etcd is not running on this node ("
                    + (etcdPhase == EtcdPhase.NONE ? "PREPARING" : etcdPhase) + ")");
        }
        return etcdRecord.cluster();
    }

    private void requireEtcdNode() throws Refusal {
        if (bootedInMaintenance) {
            throw new Refusal(Status.Code.FAILED_PRECONDITION, "node is in maintenance mode: apply a config first");
        }
        if (config == null || !config.machine().isControlPlane()) {
            throw new Refusal(Status.Code.UNIMPLEMENTED, "etcd runs only on control-plane nodes");
        }
        if (config.cluster().etcd() == null) {
            throw new Refusal(Status.Code.INVALID_ARGUMENT, "the config has no cluster.etcd section");
        }
    }

    /** A member the cluster no longer lists was removed by a peer: etcd stops for good, as node-init records. */
    private void refreshRemoved() {
        if (etcdPhase.holdsMember() && etcdRecord != null
                && etcdRecord.cluster().member(etcdRecord.memberId()).isEmpty()) {
            etcdPhase = EtcdPhase.REMOVED;
        }
    }

    synchronized void bootstrap(boolean recover) throws Refusal {
        requireEtcdNode();
        refreshRemoved();
        if (etcdPhase == EtcdPhase.REMOVED) {
            throw new Refusal(Status.Code.FAILED_PRECONDITION, "etcd: removed from cluster "
                    + Long.toHexString(etcdRecord.cluster().clusterId()));
        }
        if (etcdPhase.holdsMember()) {
            throw new Refusal(Status.Code.ALREADY_EXISTS, "etcd member already "
                    + (etcdPhase == EtcdPhase.JOINING ? "joining" : "exists") + " on this node");
        }
        if (etcdPhase == EtcdPhase.WAITING_FOR_CLUSTER || etcdPhase == EtcdPhase.LEFT) {
            Optional<ServingPeer> serving = servingPeer();
            if (serving.isPresent()) {
                throw new Refusal(Status.Code.ALREADY_EXISTS, "control-plane peer " + serving.get().peerUrl()
                        + " already serves etcd cluster " + Long.toHexString(serving.get().cluster().clusterId())
                        + "; this node joins it instead");
            }
        }
        if (recover && !recoverUploaded) {
            throw new Refusal(Status.Code.FAILED_PRECONDITION, "recover_etcd: no snapshot was uploaded with EtcdRecover");
        }
        cancelJoinPoll();
        SimulatedEtcd cluster = SimulatedEtcd.bootstrap(hostname, peerUrl(), clientUrl());
        long memberId = cluster.members().get(0).id();
        fleet.ownMember(memberId, this);
        etcdRecord = new EtcdRecord(cluster, memberId, false);
        recoverUploaded = false;
        etcdPhase = EtcdPhase.RUNNING;
        fleet.countBootstrap();
        note("etcd bootstrapped: cluster " + Long.toHexString(cluster.clusterId()));
    }

    synchronized void recoverUploaded() throws Refusal {
        requireEtcdNode();
        recoverUploaded = true;
    }

    record EtcdState(long clusterId, long memberId, long leader, boolean learner) {
    }

    synchronized EtcdState etcdStatus() throws Refusal {
        SimulatedEtcd cluster = requireMember();
        boolean learner = cluster.member(etcdRecord.memberId()).map(SimulatedEtcd.Member::learner).orElse(false);
        return new EtcdState(cluster.clusterId(), etcdRecord.memberId(), cluster.leader(fleet::memberUp), learner);
    }

    synchronized List<SimulatedEtcd.Member> members() throws Refusal {
        return requireMember().members();
    }

    synchronized void removeMember(long memberId) throws Refusal {
        SimulatedEtcd cluster = requireMember();
        Optional<SimulatedEtcd.Member> member = cluster.member(memberId);
        if (member.isEmpty()) {
            throw new Refusal(Status.Code.NOT_FOUND, "etcd member " + Long.toHexString(memberId) + " not found");
        }
        if (memberId == etcdRecord.memberId()) {
            throw new Refusal(Status.Code.FAILED_PRECONDITION,
                    "member " + Long.toHexString(memberId) + " is this node; use EtcdLeaveCluster");
        }
        cluster.remove(memberId, fleet::memberUp);
        note("etcd member " + Long.toHexString(memberId) + " removed");
    }

    synchronized void leave() throws Refusal {
        requireEtcdNode();
        leaveNow();
    }

    private void leaveNow() {
        refreshRemoved();
        if (etcdPhase == EtcdPhase.REMOVED || etcdRecord == null || etcdRecord.left()) {
            return;
        }
        SimulatedEtcd cluster = etcdRecord.cluster();
        if (cluster.members().size() > 1) {
            cluster.remove(etcdRecord.memberId(), fleet::memberUp);
        }
        cancelJoinPoll();
        etcdRecord = new EtcdRecord(cluster, etcdRecord.memberId(), true);
        etcdPhase = EtcdPhase.LEFT;
        note("etcd member left the cluster and its data was removed");
    }

    synchronized String forfeitLeadership() throws Refusal {
        SimulatedEtcd cluster = requireMember();
        long self = etcdRecord.memberId();
        if (cluster.leader(fleet::memberUp) != self) {
            return "";
        }
        return cluster.moveLeader(self, fleet::memberUp).map(SimulatedEtcd.Member::name).orElseThrow(() ->
                new Refusal(Status.Code.FAILED_PRECONDITION, "no other voting member to take leadership"));
    }

    // ---- lifecycle

    synchronized void reset(boolean graceful, boolean reboot, List<String> labels) throws Refusal {
        Set<String> wipe = new LinkedHashSet<>();
        for (String label : labels) {
            if (!List.of("STATE", "EPHEMERAL", "META", "BOOT-A", "BOOT-B").contains(label)) {
                throw new Refusal(Status.Code.INVALID_ARGUMENT, "system_partitions_to_wipe: unknown partition label "
                        + label + " (known: STATE, EPHEMERAL, META, BOOT-A, BOOT-B)");
            }
            wipe.add(label);
        }
        if (wipe.isEmpty()) {
            wipe.addAll(List.of("STATE", "EPHEMERAL"));
        }
        if (graceful && etcdPhase != EtcdPhase.NONE) {
            leaveNow();
        }
        enter(Stage.RESETTING, "wiping " + wipe);
        cancelJoinPoll();
        if (wipe.contains("STATE")) {
            storedConfig = null;
        }
        if (wipe.contains("EPHEMERAL")) {
            etcdRecord = null;
            recoverUploaded = false;
        }
        if (wipe.contains("META")) {
            maintenanceIdentity = null;
        }
        if (reboot) {
            requestReboot("reset done");
        } else {
            requestHalt("reset done");
        }
    }

    synchronized void reboot() {
        requestReboot("reboot requested");
    }

    synchronized void shutdown() {
        requestHalt("shutdown requested");
    }

    private void requestReboot(String why) {
        enter(Stage.REBOOTING, why);
        long boot = bootCount;
        fleet.timers().schedule(() -> goDown(boot, true), REPLY_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void requestHalt(String why) {
        enter(Stage.SHUTTING_DOWN, why);
        long boot = bootCount;
        fleet.timers().schedule(() -> goDown(boot, false), REPLY_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private synchronized void goDown(long boot, boolean thenBoot) {
        if (boot != bootCount || server == null) {
            return;
        }
        stopServing();
        if (thenBoot) {
            fleet.timers().schedule(this::bootAgain, fleet.settings().rebootDelay().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            halted = true;
        }
    }

    private synchronized void bootAgain() {
        if (!halted && server == null && !fleet.closed()) {
            boot();
        }
    }

    /** Powers a halted machine on again, as a person at the rack would. */
    public synchronized void powerOn() {
        if (halted && server == null) {
            boot();
        }
    }

    private void stopServing() {
        serving = false;
        cancelJoinPoll();
        events.closeFollowers();
        Server current = server;
        server = null;
        if (current != null) {
            current.shutdownNow();
        }
    }

    synchronized void close() {
        halted = true;
        stopServing();
    }

    private void enter(Stage next, String message) {
        stage = next;
        events.stage(next, message);
    }

    /** etcd notes go out as events of the stage the machine is in, as node-init's service notes do. */
    private void note(String message) {
        events.stage(stage, message);
    }
}
