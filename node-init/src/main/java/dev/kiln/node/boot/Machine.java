package dev.kiln.node.boot;

import dev.kiln.machinery.config.MachineConfig;
import dev.kiln.machinery.config.PemPair;
import dev.kiln.machinery.pki.CertificateAuthority;
import dev.kiln.machinery.release.ReleaseArchive;
import dev.kiln.node.NodeRefusal;
import dev.kiln.node.NodeRefusal.Reason;
import dev.kiln.node.api.ApiTls;
import dev.kiln.node.api.MachineApiServer;
import dev.kiln.node.api.MachineControl;
import dev.kiln.node.api.MachineServiceImpl;
import dev.kiln.node.api.VersionInfo;
import dev.kiln.node.config.ConfigApplier;
import dev.kiln.node.config.ConfigChange;
import dev.kiln.node.config.ConfigStore;
import dev.kiln.node.disk.AtomicFiles;
import dev.kiln.node.disk.DiskLayout;
import dev.kiln.node.disk.Meta;
import dev.kiln.node.disk.Partition;
import dev.kiln.node.etcd.EtcdClusterToken;
import dev.kiln.node.etcd.EtcdNode;
import dev.kiln.node.identity.MaintenanceIdentity;
import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.install.DownloadTrust;
import dev.kiln.node.install.ImageRef;
import dev.kiln.node.install.Installer;
import dev.kiln.node.install.ReleaseDownload;
import dev.kiln.node.install.UpgradePreflight;
import dev.kiln.node.install.Upgrader;
import dev.kiln.node.supervisor.EventLog;
import dev.kiln.node.supervisor.MachineStage;
import dev.kiln.node.supervisor.MachineStageEvent;
import dev.kiln.node.supervisor.Supervisor;
import dev.kiln.node.trust.ApiCertificateService;
import dev.kiln.node.trust.IssuedServerCertificate;
import dev.kiln.node.trust.TrustdService;
import dev.kiln.machinery.trust.Trustd;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One machine: boots from its disk into maintenance or configured mode, serves the machine API, and ends with an
 * {@link ExitCode} when asked to reboot, reset or shut down.
 */
public final class Machine implements MachineControl {

    private static final long REPLY_GRACE_MILLIS = 300;

    private final NodeSettings settings;
    private final DiskLayout disk;
    private final PrintStream console;
    private final Path distribution;
    private final EventLog events = new EventLog();
    private final Supervisor supervisor;
    private final ConfigStore configStore;
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "machine-timers");
        thread.setDaemon(true);
        return thread;
    });
    private final ConfigApplier configApplier;
    private final CompletableFuture<ExitCode> exit = new CompletableFuture<>();
    private volatile MachineStage stage = MachineStage.BOOTING;
    private volatile boolean bootedInMaintenance;
    private volatile String unusableConfig;
    private final java.util.concurrent.locks.ReentrantLock applyLock = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.locks.ReentrantLock upgradeLock = new java.util.concurrent.locks.ReentrantLock();
    private volatile MachineConfig config;
    private volatile String hostname;
    private volatile EtcdNode etcd;
    private MachineApiServer api;
    private Runnable certificateService = () -> { };

    public Machine(NodeSettings settings, Path distribution, PrintStream console) throws IOException {
        this.settings = settings;
        this.disk = formatTolerantly(settings.root());
        this.console = console;
        this.distribution = distribution;
        this.supervisor = new Supervisor(disk, dev.kiln.node.supervisor.SupervisorConfig.defaults(), events);
        this.configStore = new ConfigStore(disk);
        this.configApplier = new ConfigApplier(configStore, timers, this::reload, Clock.systemUTC());
        this.hostname = settings.defaultHostname();
    }

    private DiskLayout formatTolerantly(Path root) {
        try {
            return DiskLayout.format(root);
        } catch (IOException e) {
            events.append(new MachineStageEvent(MachineStage.BOOTING, "preparing the disk layout failed: "
                    + describe(e)));
            return new DiskLayout(root);
        }
    }

    public void boot() throws Exception {
        tolerate("clearing interrupted writes", () -> {
            for (Partition partition : List.of(Partition.STATE, Partition.META)) {
                AtomicFiles.removeStaleTemps(disk.partition(partition));
            }
        });
        tolerate("reading the last rollback", this::reportLastRollback);
        tolerate("clearing an interrupted upgrade download", () -> Upgrader.clearStaging(disk));
        tolerate("settling a trial or staged config", configApplier::settleAtBoot);
        Optional<MachineConfig> stored;
        try {
            stored = configApplier.effective();
        } catch (Exception e) {
            serveWithoutUsableConfig("stored config cannot be used: " + describe(e));
            return;
        }
        if (stored.isEmpty()) {
            serveMaintenance("no config: waiting for ApplyConfiguration");
            return;
        }
        config = stored.get();
        if (config.machine().network() != null && config.machine().network().hostname() != null) {
            hostname = config.machine().network().hostname();
        }
        if (needsInstall()) {
            install();
            requestExit(ExitCode.REBOOT, "installed; rebooting into the installed slot");
            return;
        }
        try {
            if (holdsMachineCaKey(config)) {
                CertificateAuthority machineCa = CertificateAuthority.fromPem(config.machine().ca().decodedCrt(),
                        config.machine().ca().decodedKey());
                api = MachineApiServer.start(listenAddress(), ApiTls.issuedBy(machineCa, hostname, settings.address(),
                        config.machine().certSANs()), new MachineServiceImpl(this));
                if (config.machine().isControlPlane()) {
                    certificateService = () -> startCertificateService(machineCa);
                }
            } else {
                serveWithCertificateFromControlPlane();
            }
        } catch (Exception e) {
            config = null;
            serveWithoutUsableConfig("stored config cannot be applied: " + describe(e));
            return;
        }
        if (config.machine().isControlPlane()) {
            try {
                startEtcd();
            } catch (Exception e) {
                events.append(new MachineStageEvent(MachineStage.BOOTING, "etcd could not be prepared: " + describe(e)));
            }
        }
        tolerate("confirming the boot", this::confirmBootWhenHealthy);
        enter(MachineStage.RUNNING, "configured as " + config.machine().type().yamlName());
        // Once the machine is running, so the running stage comes before their service events.
        certificateService.run();
        console.println("running: machine API on " + settings.address() + ":" + api.port() + " (mutual TLS), "
                + config.machine().type().yamlName() + " " + hostname);
        console.flush();
    }

    private static boolean holdsMachineCaKey(MachineConfig config) {
        return config.machine().ca().key() != null && !config.machine().ca().key().isEmpty();
    }

    /** The host of {@code cluster.controlPlane.endpoint}, without IPv6 brackets. */
    private static String controlPlaneHost(MachineConfig config) {
        String host = java.net.URI.create(config.cluster().controlPlane().endpoint()).getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** Signs workers' machine API certificates; workers reach it through the control-plane endpoint's host. */
    private void startCertificateService(CertificateAuthority machineCa) {
        List<String> names = new ArrayList<>(config.machine().certSANs());
        names.add(controlPlaneHost(config));
        supervisor.register(new TrustdService(new TrustdService.Settings(
                new InetSocketAddress(settings.address(), Trustd.PORT), machineCa, config.machine().token(),
                hostname, names)));
        supervisor.start("trustd");
    }

    /**
     * A worker without the machine CA key serves a certificate issued by the control plane: the one stored from an
     * earlier boot while it is valid, otherwise its provisional self-signed one (clients that check the machine CA
     * refuse it, and the console says why) until the certificate service answers. Clients must present a machine CA
     * certificate either way.
     */
    private void serveWithCertificateFromControlPlane() throws IOException {
        String machineCaPem = config.machine().ca().decodedCrt();
        String trustdHost = controlPlaneHost(config);
        Optional<IssuedServerCertificate> stored = IssuedServerCertificate.load(disk, machineCaPem)
                .filter(certificate -> certificate.validAt(java.time.Instant.now()));
        ApiTls.Configured tls;
        if (stored.isPresent()) {
            tls = ApiTls.withoutCaKey(stored.get().certificatePem(), stored.get().keyPem(), machineCaPem, hostname);
        } else {
            MaintenanceIdentity provisional = MaintenanceIdentity.loadOrCreate(disk, hostname, settings.address());
            tls = ApiTls.withoutCaKey(provisional.certificatePem(), provisional.keyPem(), machineCaPem, hostname);
            console.println("no machine CA key: asking the certificate service at " + trustdHost + ":" + Trustd.PORT
                    + " for the machine API certificate; until then the API serves the provisional certificate "
                    + provisional.fingerprint());
        }
        api = MachineApiServer.start(listenAddress(), tls, new MachineServiceImpl(this));
        ApiCertificateService.Settings asking = new ApiCertificateService.Settings(trustdHost, Trustd.PORT,
                machineCaPem, config.machine().token(), ApiTls.serverNames(hostname, settings.address(),
                        config.machine().certSANs()));
        certificateService = () -> {
            supervisor.register(new ApiCertificateService(asking, tls.keys(), stored, disk, events));
            supervisor.start(ApiCertificateService.ID);
        };
    }

    /**
     * A stored config that cannot be used still names the machine CA: the API keeps mutual TLS with it and the
     * usual roles, so an admin reads why and resets the node or applies a new config. Without even that CA, the node
     * falls back to maintenance mode.
     */
    private void serveWithoutUsableConfig(String why) throws IOException {
        Optional<CertificateAuthority> machineCa = storedMachineCa();
        if (machineCa.isEmpty()) {
            serveMaintenance(why);
            return;
        }
        api = MachineApiServer.start(listenAddress(),
                ApiTls.issuedBy(machineCa.get(), hostname, settings.address(), List.of()), new MachineServiceImpl(this));
        unusableConfig = why;
        enter(MachineStage.BOOTING, why + "; the machine API serves mutual TLS with the stored machine CA: reset the"
                + " node or apply a new config");
        console.println(why);
        console.println("recovery: machine API on " + settings.address() + ":" + api.port()
                + " (mutual TLS with the stored machine CA); reset the node or apply a new config");
        console.flush();
    }

    private InetSocketAddress listenAddress() {
        return new InetSocketAddress(settings.address(), settings.port());
    }

    private Optional<CertificateAuthority> storedMachineCa() {
        try {
            Optional<PemPair> pem = configApplier.storedMachineCa();
            if (pem.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(CertificateAuthority.fromPem(pem.get().decodedCrt(), pem.get().decodedKey()));
        } catch (Exception e) {
            events.append(new MachineStageEvent(MachineStage.BOOTING, "the stored machine CA cannot be read either: "
                    + describe(e)));
            return Optional.empty();
        }
    }

    /**
     * Without a usable config there are no keys for mutual TLS; maintenance mode keeps the node reachable, says why
     * in its events, and takes a config that replaces the stored one.
     */
    private void serveMaintenance(String why) throws IOException {
        MaintenanceIdentity identity = MaintenanceIdentity.loadOrCreate(disk, hostname, settings.address());
        api = MachineApiServer.start(listenAddress(),
                new ApiTls.Maintenance(identity.certificatePem(), identity.keyPem(), identity.fingerprint()),
                new MachineServiceImpl(this));
        bootedInMaintenance = true;
        enter(MachineStage.MAINTENANCE, why);
        if (!why.startsWith("no config")) {
            console.println(why);
        }
        console.println("maintenance mode: machine API on " + settings.address() + ":" + api.port()
                + " certificate fingerprint " + identity.fingerprint());
        console.flush();
    }

    private interface DiskStep {
        void run() throws Exception;
    }

    /** A disk that refuses a boot step is reported as an event; the machine API must come up regardless. */
    private void tolerate(String step, DiskStep work) {
        try {
            work.run();
        } catch (Exception e) {
            events.append(new MachineStageEvent(MachineStage.BOOTING, step + " failed: " + describe(e)));
            console.println(step + " failed: " + describe(e));
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private boolean needsInstall() throws IOException {
        return config.machine().install() != null && !installer().isInstalled();
    }

    private Installer installer() {
        return new Installer(disk, distribution, VersionInfo.RUNNING);
    }

    private void install() throws IOException {
        enter(MachineStage.INSTALLING, "installing " + VersionInfo.RUNNING + " to " + config.machine().install().disk());
        var slot = installer().install();
        events.append(new MachineStageEvent(MachineStage.INSTALLING, "installed into slot " + slot));
    }

    private void reportLastRollback() throws IOException {
        Meta.load(disk).lastRollbackMessage().ifPresent(message ->
                events.append(new MachineStageEvent(MachineStage.BOOTING, "last rollback: " + message)));
    }

    /** A slot on trial is confirmed only once it is healthy; otherwise the bootloader rolls it back. */
    private void confirmBootWhenHealthy() throws IOException {
        Optional<Meta.Trial> trial = Meta.load(disk).trialPending();
        if (trial.isEmpty()) {
            Meta.load(disk).bootConfirmed().save(disk);
            return;
        }
        events.append(new MachineStageEvent(MachineStage.BOOTING, "running " + VersionInfo.RUNNING
                + " on trial after an upgrade from " + trial.get().fromVersion() + "; confirming once healthy"));
        timers.schedule(() -> checkTrial(trial.get(), null), 0, TimeUnit.MILLISECONDS);
    }

    private void checkTrial(Meta.Trial trial, String lastProblem) {
        Optional<String> problem = new UpgradeHealth(config, etcd, trial).problem();
        if (problem.isEmpty()) {
            try {
                Meta.load(disk).bootConfirmed().save(disk);
                events.append(new MachineStageEvent(stage, "upgrade from " + trial.fromVersion() + " to "
                        + VersionInfo.RUNNING + " confirmed healthy"));
            } catch (IOException e) {
                events.append(new MachineStageEvent(stage, "confirming the upgrade failed: " + describe(e)));
                timers.schedule(() -> checkTrial(trial, null), 1, TimeUnit.SECONDS);
            }
            return;
        }
        if (!problem.get().equals(lastProblem)) {
            events.append(new MachineStageEvent(stage, "upgrade not yet healthy: " + problem.get()));
        }
        timers.schedule(() -> checkTrial(trial, problem.get()), 1, TimeUnit.SECONDS);
    }

    private void startEtcd() throws IOException {
        var etcdConfig = config.cluster().etcd();
        CertificateAuthority etcdCa = CertificateAuthority.fromPem(etcdConfig.ca().decodedCrt(), etcdConfig.ca().decodedKey());
        EtcdNode node = new EtcdNode(new EtcdNode.Settings(hostname, settings.address(), settings.etcdBinary(),
                settings.etcdctlBinary(), etcdCa, EtcdClusterToken.of(config.cluster())), disk, supervisor,
                message -> supervisor.log("etcd").append("[kiln] " + message));
        node.reconfigure(etcdConfig.peers(), etcdConfig.extraArgs());
        node.boot();
        etcd = node;
    }

    private void reload(MachineConfig next, ConfigChange change) {
        config = next;
        EtcdNode node = etcd;
        if (node != null && next.cluster().etcd() != null) {
            node.reconfigure(next.cluster().etcd().peers(), next.cluster().etcd().extraArgs());
            if (change.touches("cluster.etcd.extraArgs")) {
                supervisor.restart("etcd");
            }
        }
        events.append(new MachineStageEvent(stage, "config reloaded: " + change.changedPaths()));
    }

    // ---- what the machine API asks of the machine

    @Override
    public ConfigApplier.Applied applyConfiguration(byte[] data,
            dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode mode, boolean dryRun,
            java.time.Duration tryTimeout) throws NodeRefusal {
        if (!applyLock.tryLock()) {
            throw new NodeRefusal(Reason.BUSY, "another ApplyConfiguration is in progress");
        }
        try {
            return applyExclusively(data, mode, dryRun, tryTimeout);
        } finally {
            applyLock.unlock();
        }
    }

    private ConfigApplier.Applied applyExclusively(byte[] data,
            dev.kiln.machinery.api.machine.ApplyConfigurationRequest.Mode mode, boolean dryRun,
            java.time.Duration tryTimeout) throws NodeRefusal {
        // The maintenance listener stays anonymous until the process exits, so it must not take a second config.
        if (bootedInMaintenance && stage != MachineStage.MAINTENANCE) {
            throw new NodeRefusal(Reason.BUSY, "a config was already accepted; the node is leaving maintenance mode");
        }
        if (unusableConfig != null && config != null) {
            throw new NodeRefusal(Reason.BUSY, "a config was already accepted; the node is rebooting into it");
        }
        // A node without a usable config takes a new one the way maintenance mode does: stored whole, then a reboot.
        boolean maintenance = stage == MachineStage.MAINTENANCE || unusableConfig != null;
        ConfigApplier.Applied applied = configApplier.apply(data, mode, dryRun, tryTimeout, maintenance);
        if (dryRun) {
            return applied;
        }
        if (applied.plan() instanceof dev.kiln.node.config.ApplyPlan.LeaveMaintenance) {
            config = applied.config();
            enter(MachineStage.BOOTING, "config accepted; leaving maintenance mode");
            // No grace to wait out: the exit closes the API, whose shutdown lets this call finish its reply first.
            timers.execute(this::leaveMaintenance);
        } else if (applied.plan() instanceof dev.kiln.node.config.ApplyPlan.StoreAndReboot) {
            requestExit(ExitCode.REBOOT, "rebooting to apply the new config");
        }
        return applied;
    }

    private void leaveMaintenance() {
        try {
            if (needsInstall()) {
                install();
            }
            // The install runs while the apply call's reply goes out; close() waits for that call before the exit.
            enter(MachineStage.REBOOTING, "leaving maintenance mode");
            exit.complete(ExitCode.REBOOT);
        } catch (Exception e) {
            events.append(new MachineStageEvent(MachineStage.MAINTENANCE, "install failed: " + e.getMessage()));
            requestExit(ExitCode.FAILURE, "install failed: " + e.getMessage());
        }
    }

    @Override
    public void reboot() {
        requestExit(ExitCode.REBOOT, "reboot requested");
    }

    /**
     * Downloads and verifies the release, installs it into the inactive slot on trial, and reboots into it unless
     * {@code stage}. Returns the acknowledgement for the caller. Nothing in the slots or META changes when the release
     * is refused.
     */
    @Override
    public String upgrade(String image, boolean stage, boolean preserve, boolean force) throws NodeRefusal {
        if (inMaintenance() || config == null) {
            throw new NodeRefusal(Reason.NOT_READY, "upgrade needs a configured node; apply a config first");
        }
        if (!upgradeLock.tryLock()) {
            throw new NodeRefusal(Reason.BUSY, "another upgrade or rollback is in progress");
        }
        try {
            ImageRef ref;
            try {
                ref = ImageRef.parse(image);
            } catch (IllegalArgumentException e) {
                throw new NodeRefusal(Reason.INVALID_REQUEST, e.getMessage());
            }
            if (Meta.load(disk).trialPending().isPresent()) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED,
                        "the running slot is still on trial after an upgrade; wait until it is confirmed or rolled back");
            }
            EtcdNode node = etcd;
            UpgradePreflight.Verdict verdict = UpgradePreflight.decide(upgradeFacts(node), force);
            if (verdict instanceof UpgradePreflight.Refuse refuse) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED, "upgrade refused: " + refuse.reason());
            }
            for (String note : ((UpgradePreflight.Proceed) verdict).notes()) {
                events.append(new MachineStageEvent(MachineStage.UPGRADING, "upgrade: " + note));
            }
            enter(MachineStage.UPGRADING, "downloading " + ref);
            Upgrader upgrader = new Upgrader(disk, new ReleaseDownload(DownloadTrust.of(settings.downloadCa()),
                    ReleaseDownload.DEFAULT_MAX_BYTES));
            Upgrader.Prepared prepared;
            try {
                prepared = upgrader.prepare(ref);
            } catch (ReleaseDownload.DownloadFailed | ReleaseArchive.InvalidRelease e) {
                enter(MachineStage.RUNNING, "upgrade refused: " + e.getMessage());
                throw new NodeRefusal(Reason.PRECONDITION_FAILED, e.getMessage());
            }
            // A forced upgrade of a member that cannot say who it is keeps no identity to compare on trial.
            long clusterId = 0;
            long memberId = 0;
            if (node != null) {
                try {
                    EtcdNode.MemberStatus status = node.status();
                    clusterId = status.clusterId();
                    memberId = status.memberId();
                } catch (NodeRefusal e) {
                    if (!force) {
                        upgrader.clearStaging();
                        enter(MachineStage.RUNNING, "upgrade refused: " + e.getMessage());
                        throw new NodeRefusal(Reason.PRECONDITION_FAILED, "upgrade needs a healthy etcd member to"
                                + " compare after the upgrade: " + e.getMessage());
                    }
                }
            }
            Upgrader.Installed installed = upgrader.install(prepared, VersionInfo.RUNNING, clusterId, memberId);
            String data = node == null ? "" : preserve ? "; etcd data preserved"
                    : "; etcd data kept (Kiln keeps it without preserve too; leaving etcd is the operator's job)";
            String ack = "upgrade from " + installed.fromVersion() + " to " + installed.toVersion() + " installed in slot "
                    + installed.slot() + (stage ? ", staged: the next reboot boots it on trial" : "; rebooting into it on trial")
                    + data;
            events.append(new MachineStageEvent(MachineStage.UPGRADING, ack));
            if (stage) {
                enter(MachineStage.RUNNING, ack);
                return ack;
            }
            if (node != null) {
                forfeitLeadershipForReboot(node);
            }
            requestExit(ExitCode.REBOOT, "rebooting into " + installed.toVersion());
            return ack;
        } catch (IOException e) {
            throw new NodeRefusal(Reason.FAILED, "upgrade: " + describe(e), e);
        } finally {
            upgradeLock.unlock();
        }
    }

    private static UpgradePreflight.EtcdFacts upgradeFacts(EtcdNode node) {
        if (node == null) {
            return new UpgradePreflight.NoEtcd();
        }
        try {
            EtcdNode.MemberStatus self = node.status();
            List<UpgradePreflight.Voter> voters = node.otherVoters(self.memberId()).stream()
                    .map(health -> new UpgradePreflight.Voter(health.member().name().isEmpty()
                            ? Long.toHexString(health.member().id()) : health.member().name(), health.problem()))
                    .toList();
            return new UpgradePreflight.Member(self.status().isLearner(), voters);
        } catch (NodeRefusal e) {
            return new UpgradePreflight.UnhealthyMember(e.getMessage());
        }
    }

    private void forfeitLeadershipForReboot(EtcdNode node) {
        try {
            String leader = node.forfeitLeadership();
            if (!leader.isEmpty()) {
                events.append(new MachineStageEvent(MachineStage.UPGRADING, "etcd leadership moved to " + leader));
            }
        } catch (NodeRefusal e) {
            // A single member cannot hand over; the reboot is short and etcd elects it again.
            events.append(new MachineStageEvent(MachineStage.UPGRADING, "etcd leadership kept: " + e.getMessage()));
        }
    }

    /** Boots the other installed slot next, recording why in META, and reboots. */
    @Override
    public String rollback() throws NodeRefusal {
        if (!upgradeLock.tryLock()) {
            throw new NodeRefusal(Reason.BUSY, "another upgrade or rollback is in progress");
        }
        try {
            Meta meta = Meta.load(disk);
            BootSlot previous = meta.activeSlot().other();
            Optional<String> target = meta.installedVersion(previous);
            if (target.isEmpty()) {
                throw new NodeRefusal(Reason.PRECONDITION_FAILED, "no version installed in slot " + previous
                        + " to roll back to");
            }
            String message = "rolled back from " + meta.installedVersion().orElse(VersionInfo.RUNNING) + " to "
                    + target.get() + ": requested through the API";
            meta.activate(previous).withLastRollback(message).save(disk);
            events.append(new MachineStageEvent(stage, message));
            requestExit(ExitCode.REBOOT, "rebooting into slot " + previous);
            return message;
        } catch (IOException e) {
            throw new NodeRefusal(Reason.FAILED, "rollback: " + describe(e), e);
        } finally {
            upgradeLock.unlock();
        }
    }

    @Override
    public void shutdown() {
        requestExit(ExitCode.HALT, "shutdown requested");
    }

    /** Leaves etcd first when graceful, wipes the chosen partitions now, then reboots or halts after the reply. */
    @Override
    public void reset(boolean graceful, boolean reboot, List<String> labels) throws NodeRefusal {
        List<Partition> partitions = new ArrayList<>();
        for (String label : labels) {
            partitions.add(Partition.byLabel(label).orElseThrow(() -> new NodeRefusal(Reason.INVALID_REQUEST,
                    "system_partitions_to_wipe: unknown partition label " + label
                            + " (known: STATE, EPHEMERAL, META, BOOT-A, BOOT-B)")));
        }
        if (partitions.isEmpty()) {
            partitions = List.of(Partition.STATE, Partition.EPHEMERAL);
        }
        EtcdNode node = etcd;
        if (graceful && node != null) {
            node.leave();
        }
        enter(MachineStage.RESETTING, "wiping " + partitions);
        supervisor.stopAll();
        try {
            for (Partition partition : partitions) {
                disk.wipe(partition);
            }
        } catch (IOException e) {
            throw new NodeRefusal(Reason.FAILED, "wiping partitions: " + e.getMessage(), e);
        }
        requestExit(reboot ? ExitCode.REBOOT : ExitCode.HALT, "reset done");
    }

    private void requestExit(ExitCode code, String why) {
        enter(code == ExitCode.REBOOT ? MachineStage.REBOOTING : MachineStage.SHUTTING_DOWN, why);
        timers.schedule(() -> exit.complete(code), REPLY_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Blocks until the machine is asked to end, then stops everything and returns how it ended. */
    public ExitCode awaitExit() throws InterruptedException {
        ExitCode code;
        try {
            code = exit.get();
        } catch (java.util.concurrent.ExecutionException e) {
            code = ExitCode.FAILURE;
        }
        close();
        return code;
    }

    public void close() {
        if (api != null) {
            api.close();
        }
        EtcdNode node = etcd;
        if (node != null) {
            node.close();
        }
        supervisor.close();
        timers.shutdownNow();
    }

    private void enter(MachineStage next, String message) {
        stage = next;
        events.append(new MachineStageEvent(next, message));
    }

    // ---- reads for the machine API

    public MachineStage stage() {
        return stage;
    }

    @Override
    public boolean inMaintenance() {
        return bootedInMaintenance;
    }

    @Override
    public String hostname() {
        return hostname;
    }

    @Override
    public Optional<String> unusableConfig() {
        return Optional.ofNullable(unusableConfig);
    }

    @Override
    public Optional<MachineConfig> config() {
        return Optional.ofNullable(config);
    }

    @Override
    public Optional<EtcdNode> etcd() {
        return Optional.ofNullable(etcd);
    }

    @Override
    public Supervisor supervisor() {
        return supervisor;
    }

    @Override
    public EventLog events() {
        return events;
    }

    @Override
    public VersionInfo version() throws IOException {
        Meta meta = Meta.load(disk);
        return new VersionInfo(VersionInfo.RUNNING, meta.installedVersion().orElse(null), meta.activeSlot().name(),
                inMaintenance(), meta.trialPending().isPresent(), meta.lastRollbackMessage().orElse(null));
    }
}
