package dev.kiln.capi.bootstrap;

import dev.kiln.capi.api.bootstrap.v1alpha1.BootstrapInitialization;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfig;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigSpec;
import dev.kiln.capi.api.bootstrap.v1alpha1.KilnConfigStatus;
import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.ClusterMappers;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.MachineNodes;
import dev.kiln.capi.cluster.MetadataOrSpecChanged;
import dev.kiln.capi.cluster.Pause;
import dev.kiln.capi.cluster.SecondaryIndex;
import dev.kiln.capi.core.v1beta1.ApiEndpoint;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.informers.SharedInformers;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The bootstrap provider: builds the machine config of a KilnConfig's Machine and writes it as the bootstrap data
 * Secret, with the cluster's CA and client config Secrets beside it. It fetches, asks {@link BootstrapDataBuilder},
 * writes and records; a bad spec writes nothing and says which field is wrong. A control-plane config names its etcd
 * peers ({@link ControlPlanePeers}) and is written only once {@link EtcdPeers} lets it go: the infrastructure
 * provider sends the Secret's bytes as they are.
 */
@ControllerConfiguration(name = "kilnconfig")
public final class KilnConfigReconciler implements Reconciler<KilnConfig> {

    static final String READY = KstatusConditions.READY;
    static final String DATA_SECRET_AVAILABLE = "DataSecretAvailable";
    static final String DATA_SECRET_UP_TO_DATE = "DataSecretUpToDate";

    static final String WAITING_FOR_MACHINE = "WaitingForMachine";
    static final String WAITING_FOR_CLUSTER = "WaitingForCluster";
    static final String WAITING_FOR_ENDPOINT = "WaitingForControlPlaneEndpoint";
    static final String WAITING_FOR_ETCD_PEERS = "WaitingForEtcdPeers";
    static final String INVALID_SPEC = "InvalidSpec";
    static final String SECRETS_BUNDLE_NOT_TRUSTED = "SecretsBundleNotTrusted";
    static final String DATA_SECRET_CONFLICT = "DataSecretConflict";
    static final String DATA_SECRET_CREATED = "DataSecretCreated";
    static final String SPEC_CHANGED = "SpecChangedAfterDataCreated";

    /** Machines, Clusters and KilnMachines arrive as events; this catches what none announces (a foreign Secret). */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Once the data and client config Secrets exist, only a deleted Secret goes unannounced by an event. */
    static final Duration RECHECK = Duration.ofMinutes(10);

    private final KubernetesClient client;
    private final ClusterLookup clusters;
    private final BootstrapMachines machines;
    private final BootstrapDataSecret dataSecrets;
    private final ClusterAccessSecrets accessSecrets;
    private final ControlPlanePeers peers;
    private final RenderedConfigs rendered = new RenderedConfigs();
    private final KilnEvents events;
    private final Clock clock;
    private final SharedInformers informers;

    public KilnConfigReconciler(KubernetesClient client, ClusterLookup clusters, MachineNodes nodes, KilnEvents events,
            Clock clock) {
        this(client, clusters, nodes, events, clock, new SharedInformers(client));
    }

    public KilnConfigReconciler(KubernetesClient client, ClusterLookup clusters, MachineNodes nodes, KilnEvents events,
            Clock clock, SharedInformers informers) {
        this.client = client;
        this.informers = informers;
        this.clusters = clusters;
        this.machines = new BootstrapMachines(client);
        this.dataSecrets = new BootstrapDataSecret(client);
        this.accessSecrets = new ClusterAccessSecrets(client, clusters, nodes);
        this.peers = new ControlPlanePeers();
        this.events = events;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, KilnConfig>> prepareEventSources(EventSourceContext<KilnConfig> context) {
        // A config is built from its Machine's spec and metadata; the Machine's status changes concern it not.
        MetadataOrSpecChanged specOrMetadata = new MetadataOrSpecChanged();
        var machinesToConfigs = SecondaryIndex.informer(Machine.class, KilnConfig.class)
                .withSecondaryToPrimaryMapper(BootstrapMachines::kilnConfigsNamedBy)
                .withOnUpdateFilter(specOrMetadata::accept)
                .build();
        // The Cluster's pause and endpoint, and control-plane addresses for the client config, arrive as events.
        var clusters = SecondaryIndex.informer(Cluster.class, KilnConfig.class)
                .withSecondaryToPrimaryMapper(ClusterMappers.fromCluster(context))
                .build();
        // A claimed server gives the client config an address and a control-plane config a peer; a provisioned one, or
        // one finding no free server, lets waiting control-plane configs go. Other status changes concern no config.
        var kilnMachines = SecondaryIndex.informer(KilnMachine.class, KilnConfig.class)
                .withGenericFilter(KilnConfigReconciler::controlPlane)
                .withSecondaryToPrimaryMapper(ClusterMappers.<KilnMachine, KilnConfig>sameCluster(context))
                .withOnUpdateFilter((changed, before) -> !Objects.equals(serverOf(changed), serverOf(before))
                        || provisioned(changed) != provisioned(before)
                        || ControlPlanePeers.foundNoFreeServer(changed) != ControlPlanePeers.foundNoFreeServer(before))
                .build();
        // Only a cache: the addresses of the servers control-plane KilnMachines hold, named as etcd peers.
        var servers = SecondaryIndex.cacheOnly(KilnServer.class, KilnConfig.class).build();
        // Only a cache: the replicas a cluster's KilnControlPlane wants, which its first config waits for.
        var controlPlanes = SecondaryIndex.cacheOnly(KilnControlPlane.class, KilnConfig.class).build();
        // Kiln's Secrets of a cluster, read from here; a deleted bootstrap data Secret is written again at once.
        var secrets = SecondaryIndex.informer(Secret.class, KilnConfig.class)
                .withLabelSelector(KilnLabels.CLUSTER_NAME)
                .withSecondaryToPrimaryMapper((Secret secret) -> KilnLabels.ownerOfKind(secret, "KilnConfig")
                        .map(owner -> Set.of(new ResourceID(owner.getName(), secret.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .withOnAddFilter(added -> false)
                .withOnUpdateFilter((changed, before) -> false)
                .build();
        return List.of(informers.eventSource(machinesToConfigs, context), informers.eventSource(clusters, context),
                informers.eventSource(kilnMachines, context), informers.eventSource(servers, context),
                informers.eventSource(secrets, context), informers.eventSource(controlPlanes, context));
    }

    private static boolean controlPlane(KilnMachine machine) {
        var labels = machine.getMetadata().getLabels();
        return labels != null && labels.containsKey(Machine.CONTROL_PLANE_LABEL);
    }

    private static boolean provisioned(KilnMachine machine) {
        return machine.getStatus() != null && Boolean.TRUE.equals(machine.getStatus().getReady());
    }

    private static String serverOf(KilnMachine machine) {
        var status = machine.getStatus();
        return status == null || status.getServerRef() == null ? null : status.getServerRef().getName();
    }

    @Override
    public UpdateControl<KilnConfig> reconcile(KilnConfig config, Context<KilnConfig> context) {
        return reconcile(config, ClusterLookup.informerCache(context), ConfigReads.informers(client, context));
    }

    /** A pass that reads Clusters from {@code clusterCache} when it holds them, live otherwise, and Secrets live. */
    UpdateControl<KilnConfig> reconcile(KilnConfig config, Function<ResourceID, Optional<Cluster>> clusterCache) {
        return reconcile(config, clusterCache, ConfigReads.live(client));
    }

    private UpdateControl<KilnConfig> reconcile(KilnConfig config, Function<ResourceID, Optional<Cluster>> clusterCache,
            ConfigReads reads) {
        String statusBefore = client.getKubernetesSerialization().asJson(config.getStatus());
        UpdateControl<KilnConfig> decided = decide(config, clusterCache, reads);
        // A pass that changed nothing writes nothing: a steady fleet then makes no writes.
        if (decided.isPatchStatus()
                && client.getKubernetesSerialization().asJson(config.getStatus()).equals(statusBefore)) {
            UpdateControl<KilnConfig> unchanged = UpdateControl.noUpdate();
            decided.getScheduleDelay().ifPresent(unchanged::rescheduleAfter);
            return unchanged;
        }
        return decided;
    }

    private UpdateControl<KilnConfig> decide(KilnConfig config, Function<ResourceID, Optional<Cluster>> clusterCache,
            ConfigReads reads) {
        if (config.isMarkedForDeletion()) {
            return UpdateControl.noUpdate();
        }
        if (Pause.of(config, Optional.empty()).isPresent()) {
            return paused(config, Optional.empty());
        }
        // Before any wait: a bad spec is reported at once, not only once a Machine and its Cluster show up.
        KilnConfigSpec spec = config.getSpec() == null ? new KilnConfigSpec() : config.getSpec();
        List<String> problems = BootstrapDataBuilder.specProblems(spec);
        if (!problems.isEmpty()) {
            Optional<Cluster> labelled = labelledCluster(config, clusterCache);
            return labelled.map(Cluster::isPaused).orElse(false) ? paused(config, labelled) : invalid(config, problems);
        }
        Optional<Machine> machine = machines.machineOf(reads.machines(), config);
        if (machine.isEmpty()) {
            return waiting(config, WAITING_FOR_MACHINE,
                    "no Machine owns this KilnConfig or names it in spec.bootstrap.configRef");
        }
        Optional<String> clusterName = clusterNameOf(config, machine.get());
        if (clusterName.isEmpty()) {
            return waiting(config, WAITING_FOR_CLUSTER, "no cluster name: neither label " + KilnLabels.CLUSTER_NAME
                    + " on the KilnConfig or its Machine nor Machine spec.clusterName is set");
        }
        Optional<Cluster> cluster = clusters.cluster(config.getMetadata().getNamespace(), clusterName.get(),
                clusterCache);
        if (cluster.isEmpty()) {
            return waiting(config, WAITING_FOR_CLUSTER, "Cluster " + clusterName.get() + " not found");
        }
        if (cluster.get().isPaused()) {
            return paused(config, cluster);
        }
        Optional<String> endpoint = endpointOf(cluster.get());
        if (BootstrapDataBuilder.generates(spec) && endpoint.isEmpty()) {
            return waiting(config, WAITING_FOR_ENDPOINT, "Cluster " + clusterName.get()
                    + " spec.controlPlaneEndpoint is not set");
        }
        SecretsBundle bundle;
        try {
            bundle = ClusterSecrets.loadOrCreate(reads.secrets(), client, cluster.get());
        } catch (ClusterSecrets.UntrustedBundleException e) {
            return waiting(config, SECRETS_BUNDLE_NOT_TRUSTED, e.getMessage());
        }
        var target = new BootstrapDataBuilder.Target(clusterName.get(), endpoint.map(e -> "https://" + e).orElse(null),
                machine.get().getMetadata().getName(), infrastructureName(machine.get()));
        BootstrapDataBuilder.Outcome outcome = rendered.render(config, target, bundle,
                () -> BootstrapDataBuilder.build(spec, target, bundle));
        if (outcome instanceof BootstrapDataBuilder.Outcome.Invalid invalid) {
            return invalid(config, invalid.problems());
        }
        var built = (BootstrapDataBuilder.Outcome.Built) outcome;
        return write(reads, config, machine.get(), cluster.get(), bundle, endpoint, built);
    }

    private UpdateControl<KilnConfig> write(ConfigReads reads, KilnConfig config, Machine machine, Cluster cluster,
            SecretsBundle bundle, Optional<String> endpoint, BootstrapDataBuilder.Outcome.Built built) {
        String clusterName = cluster.getMetadata().getName();
        Predicate<String> current = stored -> rendered.sameApartFromPeers(built, stored);
        BootstrapDataSecret.Stored stored = dataSecrets.inspect(reads.secrets(), config, current);
        if (stored != null && stored.state() == BootstrapDataSecret.State.FOREIGN) {
            return conflict(config);
        }
        // The Machine boots what is stored, so that decides whether it is a control-plane Machine.
        boolean controlPlane = stored == null ? built.controlPlane()
                : rendered.isControlPlane(stored.configYaml());
        if (controlPlane) {
            machines.addEtcdHook(machine);
        }
        if (stored == null) {
            BootstrapDataBuilder.Outcome withPeers = built;
            if (built.controlPlane()) {
                ControlPlanePeers.Decision decision = peers.decide(machine, cluster, reads);
                if (decision instanceof ControlPlanePeers.Decision.Wait wait) {
                    return waiting(config, WAITING_FOR_ETCD_PEERS, wait.message());
                }
                withPeers = EtcdPeersPatch.apply(built, ((ControlPlanePeers.Decision.Render) decision).peers());
            }
            if (withPeers instanceof BootstrapDataBuilder.Outcome.Invalid invalid) {
                return invalid(config, invalid.problems());
            }
            String configYaml = ((BootstrapDataBuilder.Outcome.Built) withPeers).configYaml();
            stored = dataSecrets.createIfAbsent(config, clusterName, configYaml, current);
            if (stored.state() == BootstrapDataSecret.State.FOREIGN) {
                return conflict(config);
            }
        }
        accessSecrets.ensureCa(reads.secrets(), cluster, bundle);
        boolean kilnconfigWritten =
                accessSecrets.ensureKilnconfig(reads.secrets(), cluster, bundle,
                        endpoint.map(KilnConfigReconciler::host));
        if (stored.state() == BootstrapDataSecret.State.CREATED) {
            events.record(config, KilnEvents.Type.Normal, DATA_SECRET_CREATED, "created bootstrap data Secret "
                    + config.getMetadata().getName() + " (" + (controlPlane ? "control-plane" : "worker") + " config)");
        }
        UpdateControl<KilnConfig> update = available(config, stored.state() == BootstrapDataSecret.State.DIFFERS);
        return update.rescheduleAfter(kilnconfigWritten ? RECHECK : WAIT);
    }

    private UpdateControl<KilnConfig> available(KilnConfig config, boolean specChanged) {
        KilnConfigStatus status = statusOf(config);
        long generation = generation(config);
        String name = config.getMetadata().getName();
        status.setDataSecretName(name);
        BootstrapInitialization initialization = new BootstrapInitialization();
        initialization.setDataSecretCreated(true);
        status.setInitialization(initialization);
        status.setReady(true);
        status.setObservedGeneration(generation);
        KstatusConditions.record(status, KilnConfigProgress.of(DATA_SECRET_AVAILABLE,
                "bootstrap data is in Secret " + name), generation, clock);
        Conditions.set(status, new Condition(DATA_SECRET_AVAILABLE, Conditions.TRUE, DATA_SECRET_CREATED,
                "Secret " + name, generation), clock);
        if (specChanged) {
            String message = "the config built now differs from the data in Secret " + name + ", which is kept: "
                    + "bootstrap data is immutable for its Machine; replace the Machine to apply the change";
            boolean changed = Conditions.set(status,
                    new Condition(DATA_SECRET_UP_TO_DATE, Conditions.FALSE, SPEC_CHANGED, message, generation), clock);
            if (changed) {
                events.record(config, KilnEvents.Type.Warning, SPEC_CHANGED,
                        "spec changed after the bootstrap data was created; Secret " + name + " is kept as it was");
            }
        } else {
            Conditions.remove(status, DATA_SECRET_UP_TO_DATE);
        }
        config.setStatus(status);
        return UpdateControl.patchStatus(config);
    }

    private UpdateControl<KilnConfig> waiting(KilnConfig config, String reason, String message) {
        return notReady(config, reason, message).rescheduleAfter(WAIT);
    }

    /** Waits for the spec to change, which triggers the next pass; nothing already written is touched. */
    private UpdateControl<KilnConfig> invalid(KilnConfig config, List<String> problems) {
        String message = String.join("; ", problems);
        if (setNotReady(config, INVALID_SPEC, message)) {
            events.record(config, KilnEvents.Type.Warning, INVALID_SPEC, message);
        }
        return UpdateControl.patchStatus(config);
    }

    private UpdateControl<KilnConfig> conflict(KilnConfig config) {
        String message = "Secret " + config.getMetadata().getName()
                + " exists and is not controlled by this KilnConfig; it is left alone";
        if (setNotReady(config, DATA_SECRET_CONFLICT, message)) {
            events.record(config, KilnEvents.Type.Warning, DATA_SECRET_CONFLICT, message);
        }
        return UpdateControl.patchStatus(config).rescheduleAfter(WAIT);
    }

    private UpdateControl<KilnConfig> notReady(KilnConfig config, String reason, String message) {
        setNotReady(config, reason, message);
        return UpdateControl.patchStatus(config);
    }

    /**
     * Sets Ready=False; the contract fields (ready, initialization, dataSecretName) stay as they were, since a data
     * Secret written earlier is still what the Machine boots.
     *
     * @return whether the Ready condition changed
     */
    private boolean setNotReady(KilnConfig config, String reason, String message) {
        KilnConfigStatus status = statusOf(config);
        long generation = generation(config);
        Optional<Condition> before = Conditions.get(status, READY);
        KstatusConditions.record(status, KilnConfigProgress.of(reason, message), generation, clock);
        boolean changed = !before.equals(Conditions.get(status, READY));
        if (!Conditions.isTrue(status, DATA_SECRET_AVAILABLE)) {
            Conditions.set(status, new Condition(DATA_SECRET_AVAILABLE, Conditions.FALSE, reason, message, generation),
                    clock);
        }
        config.setStatus(status);
        return changed;
    }

    private Optional<Cluster> labelledCluster(KilnConfig config, Function<ResourceID, Optional<Cluster>> clusterCache) {
        return clusters.clusterOf(config, clusterCache);
    }

    /**
     * Paused: nothing is written but Paused and observedGeneration. Unpausing changes no generation the informer
     * would pass on, so a paused KilnConfig looks again by itself.
     */
    private UpdateControl<KilnConfig> paused(KilnConfig config, Optional<Cluster> cluster) {
        KilnConfigStatus status = statusOf(config);
        config.setStatus(status);
        return (KstatusConditions.recordPause(status, Pause.of(config, cluster), generation(config), clock)
                ? UpdateControl.patchStatus(config) : UpdateControl.<KilnConfig>noUpdate()).rescheduleAfter(WAIT);
    }

    private static Optional<String> clusterNameOf(KilnConfig config, Machine machine) {
        return KilnLabels.clusterOf(config)
                .or(() -> KilnLabels.clusterOf(machine))
                .or(() -> Optional.ofNullable(machine.getSpec()).map(s -> s.getClusterName()))
                .filter(name -> !name.isBlank());
    }

    /** The control-plane endpoint as host:port, IPv6 hosts in brackets; port 6443 when the Cluster gives none. */
    private static Optional<String> endpointOf(Cluster cluster) {
        ApiEndpoint endpoint = cluster.getSpec() == null ? null : cluster.getSpec().getControlPlaneEndpoint();
        if (endpoint == null || endpoint.getHost() == null || endpoint.getHost().isBlank()) {
            return Optional.empty();
        }
        String host = endpoint.getHost().contains(":") ? "[" + endpoint.getHost() + "]" : endpoint.getHost();
        int port = endpoint.getPort() == null || endpoint.getPort() == 0 ? 6443 : endpoint.getPort();
        return Optional.of(host + ":" + port);
    }

    private static String host(String hostPort) {
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static String infrastructureName(Machine machine) {
        return machine.getSpec() == null || machine.getSpec().getInfrastructureRef() == null ? null
                : machine.getSpec().getInfrastructureRef().getName();
    }

    private static KilnConfigStatus statusOf(KilnConfig config) {
        return config.getStatus() == null ? new KilnConfigStatus() : config.getStatus();
    }

    private static long generation(KilnConfig config) {
        return config.getMetadata().getGeneration() == null ? 0 : config.getMetadata().getGeneration();
    }
}
