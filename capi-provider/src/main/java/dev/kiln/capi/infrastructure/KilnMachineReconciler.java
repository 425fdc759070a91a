package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachineSpec;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.CachedReads;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.ClusterMappers;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.cluster.Pause;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.cluster.SecondaryIndex;
import dev.kiln.capi.cluster.StatusReplace;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.informers.SharedInformerEventSource;
import dev.kiln.capi.informers.SharedInformers;
import dev.kiln.capi.node.NodeApiException;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.node.events.NodeEventSource;
import dev.kiln.capi.node.events.NodeEventStreams;
import dev.kiln.machinery.client.NodeAddress;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The infrastructure machine: claims a clean, free KilnServer, sends its node the Machine's bootstrap data in
 * maintenance mode and reports the machine provisioned once the node answers over mutual TLS. On delete it resets
 * the node and hands the server back clean only after seeing it wiped; a node that does not answer at all for
 * {@link #UNREACHABLE_GIVE_UP} is let go unwiped and its server marked not clean. Each pass makes at most one change.
 */
@ControllerConfiguration(name = "kilnmachine")
public final class KilnMachineReconciler implements Reconciler<KilnMachine>, Cleaner<KilnMachine> {

    static final String PROVIDER_ID_PREFIX = "kiln://";
    static final String BOOTSTRAP_DATA_KEY = "value";
    /**
     * The safety resync of a machine that waits: its owning Machine, the KilnServers and its node's event stream
     * ({@link NodeEventStreams}) trigger it at once; this only bounds how long a missed trigger can delay it.
     */
    public static final Duration POLL = Duration.ofSeconds(30);
    private static final Duration SOON = Duration.ofMillis(200);
    static final String NODE_EVENTS = "kilnmachine-node-events";
    static final String CLAIMS = "kilnmachine-server-claims";
    /** How long a deleted machine waits for a node that does not answer at all before it lets go unwiped. */
    public static final Duration UNREACHABLE_GIVE_UP = ReconcilerDependencies.DEFAULT_UNREACHABLE_NODE_GRACE;

    private static final Logger log = LoggerFactory.getLogger(KilnMachineReconciler.class);

    private final KubernetesClient client;
    private final ClusterLookup clusters;
    private final ServerClaims serverClaims;
    private volatile SharedInformerEventSource<ConfigMap, KilnMachine> claims;
    private final ServerNodes nodes;
    private final KilnEvents events;
    private final MachineConditions conditions;
    private final WorkerUpgrade workerUpgrade;
    /** Keyed by namespace/name, which a move keeps, unlike the uid. */
    private final Map<String, Integer> failuresInARow = new ConcurrentHashMap<>();
    private final Duration poll;
    private final Duration unreachableGiveUp;
    private final Clock clock;
    private final NodeEventStreams nodeEvents;
    private final SharedInformers informers;
    // The pass after a claim only waits for the claim to be visible; it need not wait a full poll.
    private final Duration soon;

    public KilnMachineReconciler(KubernetesClient client, NodeConnector nodes, KilnEvents events, Clock clock) {
        this(client, nodes, events, clock, POLL, UNREACHABLE_GIVE_UP);
    }


    KilnMachineReconciler(KubernetesClient client, NodeConnector nodes, KilnEvents events, Clock clock,
            Duration poll) {
        this(client, nodes, events, clock, poll, UNREACHABLE_GIVE_UP);
    }

    /**
     * @param poll the safety resync of every machine, waiting, paused or provisioned
     * @param unreachableGiveUp how long a deleted machine waits for a node that does not answer at all
     */
    public KilnMachineReconciler(KubernetesClient client, NodeConnector nodes, KilnEvents events, Clock clock,
            Duration poll, Duration unreachableGiveUp) {
        this(client, nodes, events, clock, poll, unreachableGiveUp, NodeEventStreams.none());
    }

    public KilnMachineReconciler(KubernetesClient client, NodeConnector nodes, KilnEvents events, Clock clock,
            Duration poll, Duration unreachableGiveUp, NodeEventStreams nodeEvents) {
        this(client, nodes, events, clock, poll, unreachableGiveUp, nodeEvents, new SharedInformers(client));
    }

    public KilnMachineReconciler(KubernetesClient client, NodeConnector nodes, KilnEvents events, Clock clock,
            Duration poll, Duration unreachableGiveUp, NodeEventStreams nodeEvents, SharedInformers informers) {
        this.nodeEvents = nodeEvents;
        this.informers = informers;
        this.poll = poll;
        this.unreachableGiveUp = unreachableGiveUp;
        this.clock = clock;
        this.soon = poll.dividedBy(3).compareTo(SOON) < 0 ? poll.dividedBy(3) : SOON;
        this.client = client;
        this.clusters = new ClusterLookup(client);
        this.serverClaims = new ServerClaims(client, clock);
        this.nodes = new ServerNodes(nodes);
        this.events = events;
        this.conditions = new MachineConditions(clock);
        this.workerUpgrade = new WorkerUpgrade(client, nodes, events, clock, WorkerUpgrade.NODE_TIMEOUT);
    }

    @Override
    public List<EventSource<?, KilnMachine>> prepareEventSources(EventSourceContext<KilnMachine> context) {
        // The owning Machine gains its bootstrap data Secret name; a KilnServer is added or handed back clean.
        var machines = SecondaryIndex.informer(Machine.class, KilnMachine.class)
                .withSecondaryToPrimaryMapper((Machine machine) -> MachineNodes.kilnMachineName(machine)
                        .map(name -> Set.of(new ResourceID(name, machine.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build();
        var servers = SecondaryIndex.informer(KilnServer.class, KilnMachine.class)
                .withSecondaryToPrimaryMapper((KilnServer server) -> context.getPrimaryCache()
                        .list(server.getMetadata().getNamespace(), machine -> concerns(server, machine))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build();
        // Only a cache: the servers claims name are chosen around without listing every ConfigMap.
        var claimCache = SecondaryIndex.informer(ConfigMap.class, KilnMachine.class)
                .withName(CLAIMS)
                .withLabelSelector(KilnLabels.CLUSTER_NAME)
                .withSecondaryToPrimaryMapper((ConfigMap claim) -> Set.of())
                .build();
        // Pausing or unpausing the Cluster, and its deletion, concern every machine of it.
        var clusters = SecondaryIndex.informer(Cluster.class, KilnMachine.class)
                .withSecondaryToPrimaryMapper(ClusterMappers.fromCluster(context))
                .build();
        // Only a cache as well: the cluster's secrets bundle and the machines' bootstrap data.
        var secrets = SecondaryIndex.cacheOnly(Secret.class, KilnMachine.class)
                .withLabelSelector(KilnLabels.CLUSTER_NAME)
                .build();
        claims = informers.eventSource(claimCache, context);
        return List.of(informers.eventSource(machines, context), informers.eventSource(servers, context),
                claims, informers.eventSource(secrets, context),
                informers.eventSource(clusters, context), new NodeEventSource<>(NODE_EVENTS, nodeEvents, context));
    }

    @Override
    public UpdateControl<KilnMachine> reconcile(KilnMachine machine, Context<KilnMachine> context) {
        ServerInventory inventory = inventory(context);
        CachedReads<Secret> secrets = secretReads(context);
        Optional<Cluster> cluster = clusters.clusterOf(machine, ClusterLookup.informerCache(context));
        Optional<String> paused = Pause.of(machine, cluster);
        if (paused.isPresent()) {
            return statusUpdate(machine, conditions.paused(machine, paused)).rescheduleAfter(poll);
        }
        if (provisioned(machine)) {
            followNodeOnce(inventory, secrets, machine, cluster);
            observeOnServer(machine);
            return UpdateControl.<KilnMachine>noUpdate().rescheduleAfter(poll);
        }
        Optional<Machine> owner = KilnLabels.ownerOfKind(machine, "Machine").flatMap(ref -> CachedReads
                .informer(client, Machine.class, context).get(machine.getMetadata().getNamespace(), ref.getName()));
        if (owner.isEmpty()) {
            return waiting(machine, "WaitingForMachine", KilnLabels.ownerOfKind(machine, "Machine")
                    .map(ref -> "owning Machine " + ref.getName() + " not found")
                    .orElse("no owner reference of kind Machine yet"));
        }
        if (cluster.isEmpty()) {
            return waiting(machine, "WaitingForCluster", KilnLabels.clusterOf(machine)
                    .map(name -> "Cluster " + name + " not found")
                    .orElse("label " + KilnLabels.CLUSTER_NAME + " is not set"));
        }
        surveyServers(inventory, machine);
        Optional<String> failureDomain = failureDomain(owner.get());
        Optional<ServerClaims.Claim> claim = serverClaims.claim(inventory, machine, cluster.get().getMetadata().getName(),
                failureDomain);
        if (claim.isEmpty() && failureDomain.isPresent()) {
            conditions.noServer(machine, "NoServerInFailureDomain", serverClaims.noServerIn(inventory, machine, failureDomain.get()));
            return statusWritten(machine).rescheduleAfter(poll);
        }
        if (claim.isEmpty()) {
            List<String> refused = serverClaims.addressProblems(inventory, machine);
            conditions.noServer(machine, "NoServerAvailable", "no KilnServer in namespace "
                    + machine.getMetadata().getNamespace() + " is clean, free and matches spec.serverSelector"
                    + (refused.isEmpty() ? "" : "; not claimed: " + String.join("; ", refused)));
            return statusWritten(machine).rescheduleAfter(poll);
        }
        ServerClaims.Claim held = claim.get();
        if (held.server() == null) {
            serverClaims.delete(machine.getMetadata().getNamespace(), held.serverName());
            conditions.noServer(machine, "ServerNotFound",
                    "claimed KilnServer " + held.serverName() + " no longer exists; claim removed");
            return statusWritten(machine).rescheduleAfter(soon);
        }
        if (held.fresh()) {
            log.info("KilnMachine {}/{} claimed KilnServer {}", machine.getMetadata().getNamespace(),
                    machine.getMetadata().getName(), held.serverName());
            events.record(machine, KilnEvents.Type.Normal, "ServerClaimed", "claimed KilnServer " + held.serverName());
        }
        String secretName = dataSecretName(owner.get());
        Optional<byte[]> bootstrapData = secretName == null ? Optional.empty()
                : bootstrapData(secrets, machine.getMetadata().getNamespace(), secretName);
        String claimed = "KilnServer " + held.serverName() + " claimed";
        String dataMissing = claimed + "; " + (secretName == null
                ? "Machine " + owner.get().getMetadata().getName() + " has no spec.bootstrap.dataSecretName yet"
                : "bootstrap data Secret " + secretName + " not found or without key " + BOOTSTRAP_DATA_KEY);
        if (bootstrapData.isEmpty()) {
            nodes.prepareMaintenanceAccess(held.server());
        }
        // serverRef is recorded before the bootstrap data is needed: the bootstrap provider names it as an etcd peer.
        if (conditions.claimed(machine, held.serverName())) {
            conditions.provisioning(machine, bootstrapData.isEmpty() ? "WaitingForBootstrapData" : "WaitingForNode",
                    bootstrapData.isEmpty() ? dataMissing : claimed);
            return statusWritten(machine).rescheduleAfter(soon);
        }
        if (bootstrapData.isEmpty()) {
            return statusUpdate(machine, conditions.provisioning(machine, "WaitingForBootstrapData", dataMissing))
                    .rescheduleAfter(poll);
        }
        return provision(secrets, machine, held.server(), cluster.get(), owner.get(), bootstrapData.get());
    }

    /** Records as clean and free the unclaimed servers without a recorded verdict whose nodes are seen wiped. */
    private void surveyServers(ServerInventory inventory, KilnMachine machine) {
        for (KilnServer server : serverClaims.unsurveyed(inventory, machine)) {
            if (nodes.observe(server, Optional.empty()).inMaintenanceByFingerprint()) {
                serverClaims.statuses().markSurveyedClean(server);
                log.info("KilnServer {}/{} had no recorded state; its node answers in maintenance mode with the "
                        + "pinned fingerprint, so it is recorded clean and free", server.getMetadata().getNamespace(),
                        server.getMetadata().getName());
            }
        }
    }

    private UpdateControl<KilnMachine> provision(CachedReads<Secret> secretReads, KilnMachine machine,
            KilnServer server, Cluster cluster, Machine owner, byte[] bootstrapData) {
        Optional<SecretsBundle> secrets = ClusterSecrets.load(secretReads, cluster.getMetadata().getNamespace(),
                cluster.getMetadata().getName());
        secrets.ifPresent(bundle -> followNode(machine, server, bundle));
        ProvisionStep step = ProvisionStep.next(nodes.observe(server, secrets));
        if (step instanceof ProvisionStep.ApplyConfig) {
            return applyConfig(machine, server, bootstrapData);
        }
        if (step instanceof ProvisionStep.MarkProvisioned) {
            Optional<Duration> upgrading = workerUpgrade.hold(machine, server, owner, secrets.orElseThrow());
            return upgrading.isPresent() ? statusWritten(machine).rescheduleAfter(upgrading.get())
                    : markProvisioned(machine, server);
        }
        ProvisionStep.Wait wait = (ProvisionStep.Wait) step;
        return nodeFailure(machine, wait.reason(), wait.message());
    }

    /** The bootstrap provider rendered the config whole; its bytes go to the node as stored. */
    private UpdateControl<KilnMachine> applyConfig(KilnMachine machine, KilnServer server, byte[] config) {
        serverClaims.statuses().markDirty(server);
        try {
            nodes.applyConfiguration(server, config);
        } catch (NodeApiException e) {
            NodeAnswer.Failed failed = NodeAnswer.failed(e);
            return nodeFailure(machine, failed.reason(), failed.message());
        }
        failuresInARow.remove(key(machine));
        log.info("KilnMachine {}/{}: config sent to node {} in maintenance mode", machine.getMetadata().getNamespace(),
                machine.getMetadata().getName(), ServerNodes.address(server));
        conditions.provisioning(machine, "ConfigApplied", "config sent to node " + ServerNodes.address(server)
                + " in maintenance mode; waiting for it to answer over mutual TLS");
        return statusWritten(machine).rescheduleAfter(poll);
    }

    private UpdateControl<KilnMachine> markProvisioned(KilnMachine machine, KilnServer server) {
        String serverName = server.getMetadata().getName();
        serverClaims.statuses().markProvisioned(server);
        if (machine.getSpec() == null) {
            machine.setSpec(new KilnMachineSpec());
        }
        // A pass that saw the providerID write but not yet the status write must not announce it again.
        if (machine.getSpec().getProviderId() == null) {
            log.info("KilnMachine {}/{}: node {} is configured; provisioned", machine.getMetadata().getNamespace(),
                    machine.getMetadata().getName(), ServerNodes.address(server));
            events.record(machine, KilnEvents.Type.Normal, "Provisioned", "node of KilnServer " + serverName
                    + " is configured; providerID " + PROVIDER_ID_PREFIX + serverName);
        }
        // The providerID write raises the generation; the status written after it, in this pass, observes that.
        KilnMachine written = client.resources(KilnMachine.class).inNamespace(machine.getMetadata().getNamespace())
                .withName(machine.getMetadata().getName()).edit(current -> {
                    if (current.getSpec() == null) {
                        current.setSpec(new KilnMachineSpec());
                    }
                    current.getSpec().setProviderId(PROVIDER_ID_PREFIX + serverName);
                    return current;
                });
        written.setStatus(machine.getStatus());
        conditions.provisioned(written, serverName, NodeAddress.parse(ServerNodes.address(server)).host());
        conditions.observe(written);
        StatusReplace.write(client, KilnMachine.class, written, written.getStatus());
        failuresInARow.remove(key(machine));
        return UpdateControl.<KilnMachine>noUpdate().rescheduleAfter(poll);
    }

    private UpdateControl<KilnMachine> nodeFailure(KilnMachine machine, String reason, String message) {
        boolean changed = conditions.provisioning(machine, reason, message);
        return statusUpdate(machine, changed).rescheduleAfter(backoff(machine));
    }

    @Override
    public DeleteControl cleanup(KilnMachine machine, Context<KilnMachine> context) {
        ServerInventory inventory = inventory(context);
        CachedReads<Secret> secretReads = secretReads(context);
        Optional<String> paused = Pause.of(machine, clusters.clusterOf(machine, ClusterLookup.informerCache(context)));
        if (paused.isPresent()) {
            writeStatus(machine, conditions.paused(machine, paused));
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(poll);
        }
        Optional<ServerClaims.Claim> claim = serverClaims.existing(inventory, machine);
        if (claim.isEmpty()) {
            return released(machine);
        }
        ServerClaims.Claim held = claim.get();
        if (held.server() == null) {
            serverClaims.delete(machine.getMetadata().getNamespace(), held.serverName());
            events.record(machine, KilnEvents.Type.Normal, "ServerReleased",
                    "KilnServer " + held.serverName() + " no longer exists; claim removed");
            return released(machine);
        }
        Optional<SecretsBundle> secrets = KilnLabels.clusterOf(machine)
                .flatMap(cluster -> ClusterSecrets.load(secretReads, machine.getMetadata().getNamespace(), cluster));
        secrets.ifPresent(bundle -> followNode(machine, held.server(), bundle));
        NodeState node = nodes.observe(held.server(), secrets);
        boolean reachabilityChanged = conditions.nodeReachable(machine, node);
        ReleaseStep step = ReleaseStep.next(node, conditions.unreachableFor(machine), unreachableGiveUp);
        if (step instanceof ReleaseStep.Release) {
            serverClaims.release(held, machine);
            log.info("KilnMachine {}/{} released KilnServer {}", machine.getMetadata().getNamespace(),
                    machine.getMetadata().getName(), held.serverName());
            events.record(machine, KilnEvents.Type.Normal, "ServerReleased", "node of KilnServer "
                    + held.serverName() + " is back in maintenance mode; server marked clean and free");
            return released(machine);
        }
        if (step instanceof ReleaseStep.GiveUp giveUp) {
            return releasedUnwiped(machine, held, giveUp.message());
        }
        if (step instanceof ReleaseStep.Reset) {
            try {
                nodes.reset(held.server(), secrets.orElseThrow());
            } catch (NodeApiException e) {
                NodeAnswer.Failed failed = NodeAnswer.failed(e);
                return releaseBlocked(machine, held.serverName(), failed.reason(), failed.message(),
                        reachabilityChanged);
            }
            writeStatus(machine, conditions.waiting(machine, "ResettingNode", "reset sent to node "
                    + ServerNodes.address(held.server()) + "; waiting for it to answer in maintenance mode")
                    | reachabilityChanged);
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(poll);
        }
        ReleaseStep.Wait wait = (ReleaseStep.Wait) step;
        return releaseBlocked(machine, held.serverName(), wait.reason(), wait.message(), reachabilityChanged);
    }

    /** The deletion finishes without a wipe; the server is marked dirty so it is never handed out as clean. */
    private DeleteControl releasedUnwiped(KilnMachine machine, ServerClaims.Claim held, String why) {
        String message = "KilnMachine " + machine.getMetadata().getName() + " let go of this server without a "
                + "reset: " + why + ". The node may still hold the cluster's secrets and data: wipe it, then set "
                + "status.clean to true to hand it out again";
        serverClaims.releaseUnwiped(held, machine, message, clock);
        log.warn("KilnMachine {}/{} released KilnServer {} unwiped: {}", machine.getMetadata().getNamespace(),
                machine.getMetadata().getName(), held.serverName(), why);
        events.record(machine, KilnEvents.Type.Warning, "ServerReleasedUnwiped", "KilnServer " + held.serverName()
                + " released without a reset and marked not clean: " + why);
        return released(machine);
    }

    private DeleteControl releaseBlocked(KilnMachine machine, String server, String reason, String message,
            boolean statusChanged) {
        writeStatus(machine, conditions.waiting(machine, reason,
                message + "; KilnServer " + server + " stays in use until its node is seen wiped or has not answered "
                        + "for " + unreachableGiveUp.toSeconds() + " s") | statusChanged);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff(machine));
    }

    private DeleteControl released(KilnMachine machine) {
        failuresInARow.remove(key(machine));
        nodeEvents.track(NODE_EVENTS, ResourceID.fromResource(machine), Map.of());
        return DeleteControl.defaultDelete();
    }

    // A cleanup pass cannot return a status patch; editing a fresh read never touches the finalizers.
    private void writeStatus(KilnMachine machine, boolean changed) {
        if (!changed) {
            return;
        }
        client.resources(KilnMachine.class).inNamespace(machine.getMetadata().getNamespace())
                .withName(machine.getMetadata().getName())
                .editStatus(current -> {
                    current.setStatus(machine.getStatus());
                    return current;
                });
    }

    /** Its node's events (and the stream's loss when it reboots or dies) reconcile this machine at once. */
    private void followNode(KilnMachine machine, KilnServer server, SecretsBundle secrets) {
        nodeEvents.track(NODE_EVENTS, ResourceID.fromResource(machine),
                Map.of(ServerNodes.address(server), new NodeCredentials.ClusterAdmin(secrets)));
    }

    /** After a restart of the operator, a provisioned machine's node is followed again from its first pass. */
    private void followNodeOnce(ServerInventory inventory, CachedReads<Secret> secrets, KilnMachine machine,
            Optional<Cluster> cluster) {
        if (cluster.isEmpty() || nodeEvents.tracks(NODE_EVENTS, ResourceID.fromResource(machine))) {
            return;
        }
        serverClaims.existing(inventory, machine).filter(claim -> claim.server() != null)
                .ifPresent(claim -> ClusterSecrets.load(secrets, cluster.get().getMetadata().getNamespace(),
                                cluster.get().getMetadata().getName())
                        .ifPresent(bundle -> followNode(machine, claim.server(), bundle)));
    }

    private static Optional<byte[]> bootstrapData(CachedReads<Secret> secrets, String namespace, String secretName) {
        Secret secret = secrets.get(namespace, secretName).orElse(null);
        String encoded = secret == null || secret.getData() == null ? null : secret.getData().get(BOOTSTRAP_DATA_KEY);
        return Optional.ofNullable(encoded).map(Base64.getDecoder()::decode);
    }

    private static Optional<String> failureDomain(Machine machine) {
        String domain = machine.getSpec() == null ? null : machine.getSpec().getFailureDomain();
        return domain == null || domain.isEmpty() ? Optional.empty() : Optional.of(domain);
    }

    private static String dataSecretName(Machine machine) {
        var bootstrap = machine.getSpec() == null ? null : machine.getSpec().getBootstrap();
        String name = bootstrap == null ? null : bootstrap.getDataSecretName();
        return name == null || name.isBlank() ? null : name;
    }

    /** Secrets from this reconciler's informer; live until it exists, as in a pass run without an operator. */
    private CachedReads<Secret> secretReads(Context<KilnMachine> context) {
        return claims == null ? CachedReads.live(client, Secret.class)
                : CachedReads.informer(client, Secret.class, context);
    }

    /** Servers from this reconciler's informers; live until they exist, as in a pass run without an operator. */
    private ServerInventory inventory(Context<KilnMachine> context) {
        SharedInformerEventSource<ConfigMap, KilnMachine> claimCache = claims;
        return claimCache == null ? ServerInventory.live(client)
                : ServerInventory.informers(client, context, claimCache);
    }

    /**
     * A server's change concerns the unprovisioned machine holding it, and the machines still without a server when
     * it may be claimed or surveyed now; the status changes of servers in use concern no one else.
     */
    static boolean concerns(KilnServer server, KilnMachine machine) {
        if (provisioned(machine)) {
            return false;
        }
        String held = machine.getStatus() == null || machine.getStatus().getServerRef() == null ? null
                : machine.getStatus().getServerRef().getName();
        if (held != null) {
            return held.equals(server.getMetadata().getName());
        }
        var status = server.getStatus();
        return status == null || status.getClean() == null
                || ServerChoice.claimable(server, machine.getSpec() == null ? null : machine.getSpec().getServerSelector());
    }

    static boolean provisioned(KilnMachine machine) {
        return machine.getStatus() != null && Boolean.TRUE.equals(machine.getStatus().getReady())
                && machine.getSpec() != null && machine.getSpec().getProviderId() != null;
    }

    private UpdateControl<KilnMachine> waiting(KilnMachine machine, String reason, String message) {
        return statusUpdate(machine, conditions.waiting(machine, reason, message)).rescheduleAfter(poll);
    }

    private Duration backoff(KilnMachine machine) {
        return RetryDelay.after(failuresInARow.merge(key(machine), 1, Integer::sum));
    }

    private static String key(KilnMachine machine) {
        return machine.getMetadata().getNamespace() + "/" + machine.getMetadata().getName();
    }

    /**
     * Stamps the generation on a provisioned machine's status. The informer's copy decides unless it predates our own
     * last status write (the providerID write raises the generation before it): only then is the server's copy read.
     */
    private void observeOnServer(KilnMachine cached) {
        if (!StatusReplace.mayLagOwnWrite(client, KilnMachine.class, cached)
                && !conditions.observe(client.getKubernetesSerialization().clone(cached))) {
            return;
        }
        KilnMachine machine = client.resources(KilnMachine.class).inNamespace(cached.getMetadata().getNamespace())
                .withName(cached.getMetadata().getName()).get();
        if (machine == null) {
            return;
        }
        if (!conditions.observe(machine)) {
            StatusReplace.seen(client, KilnMachine.class, machine, machine.getStatus());
            return;
        }
        StatusReplace.write(client, KilnMachine.class, machine, machine.getStatus());
    }

    private UpdateControl<KilnMachine> statusUpdate(KilnMachine machine, boolean changed) {
        return changed ? statusWritten(machine) : UpdateControl.noUpdate();
    }

    /** The whole status in one JSON Patch (see {@link StatusReplace}), not JOSDK's diff against a possibly stale copy. */
    private UpdateControl<KilnMachine> statusWritten(KilnMachine machine) {
        StatusReplace.write(client, KilnMachine.class, machine, machine.getStatus());
        return UpdateControl.noUpdate();
    }
}
