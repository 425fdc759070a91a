package dev.kiln.capi.etcd;

import dev.kiln.capi.api.infrastructure.v1alpha1.KilnMachine;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnServer;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.BootstrapRecordStore.Record;
import dev.kiln.capi.cluster.ClusterScope;
import dev.kiln.capi.cluster.ClusterSecrets;
import dev.kiln.capi.cluster.ControlPlaneMachine;
import dev.kiln.capi.cluster.EtcdMembershipReader;
import dev.kiln.capi.cluster.EtcdMembershipReader.Askers;
import dev.kiln.capi.cluster.EtcdObservation;
import dev.kiln.capi.cluster.KilnLabels;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.cluster.SecondaryIndex;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.core.v1beta1.Machine;
import dev.kiln.capi.informers.SharedInformers;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.node.events.NodeEventSource;
import dev.kiln.capi.node.events.NodeEventStreams;
import dev.kiln.machinery.cluster.BootstrapDecision;
import dev.kiln.machinery.cluster.BootstrapPlanner;
import dev.kiln.machinery.cluster.MembershipPlanner;
import dev.kiln.machinery.cluster.PlanInput;
import dev.kiln.machinery.cluster.PlannedStep;
import dev.kiln.machinery.pki.SecretsBundle;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster etcd reconciler. Primary resource: the Cluster API Cluster, so it serves every control plane of it the
 * same way, whether KilnControlPlane or a MachineDeployment of control-plane Machines made it. Each pass: read the
 * control-plane machines, the bootstrap record and etcd (through the machine API), ask the machinery planners, make
 * at most one change, record the decision. First bootstrap once (I1), then write the admin kubeconfig, then etcd
 * membership (I2, I3). A paused Cluster is left alone, and so is every Cluster that is not Kiln's
 * ({@link ClusterScope}): the finalizer is managed here rather than by JOSDK so that only Kiln's Clusters get it.
 */
@ControllerConfiguration(name = "cluster-etcd", triggerReconcilerOnAllEvents = true)
public final class ClusterEtcdReconciler implements Reconciler<Cluster> {

    /** Holds a deleted Cluster until no control-plane Machine waits for Kiln's etcd hook any more. */
    public static final String FINALIZER = "kiln.dev/cluster-etcd";

    private final KubernetesClient client;
    private final Bootstrapper bootstrapper;
    private final AdminKubeconfig kubeconfig;
    private final Clock clock;
    private final EtcdMembershipReader etcd;
    private final MembershipActions membership;
    private final RemovedMembers removedMembers;
    private final DecisionLog decisions;
    private final NodeEventStreams nodeEvents;
    private final SharedInformers informers;
    static final String NODE_EVENTS = "cluster-etcd-node-events";

    public ClusterEtcdReconciler(ReconcilerDependencies deps) {
        this(deps, BootstrapFaults.NONE);
    }

    public ClusterEtcdReconciler(ReconcilerDependencies deps, BootstrapFaults faults) {
        this.client = deps.client();
        this.bootstrapper = new Bootstrapper(new BootstrapRecordStore(deps.client(), deps.identity(), deps.clock()),
                deps.nodes(), faults, deps.metrics(), deps.identity());
        this.kubeconfig = new AdminKubeconfig(deps.client());
        this.clock = deps.clock();
        this.etcd = new EtcdMembershipReader(deps.nodes());
        this.membership = new MembershipActions(deps.client(), deps.nodes(), deps.metrics());
        this.removedMembers = new RemovedMembers(deps.nodes());
        this.decisions = new DecisionLog(deps.client(), deps.events("kiln-cluster-etcd"));
        this.nodeEvents = deps.nodeEvents();
        this.informers = deps.informers();
    }

    @Override
    public List<EventSource<?, Cluster>> prepareEventSources(EventSourceContext<Cluster> context) {
        // Each control-plane node's events (etcd started, joined, promoted; the node gone) reconcile its Cluster.
        return List.of(byClusterLabel(Machine.class, context), byClusterLabel(KilnMachine.class, context),
                new NodeEventSource<>(NODE_EVENTS, nodeEvents, context), readOnly(KilnServer.class, null, context),
                readOnly(Secret.class, KilnLabels.CLUSTER_NAME, context),
                readOnly(ConfigMap.class, KilnLabels.CLUSTER_NAME, context));
    }

    /** An informer read from and never reconciled on: the servers, the cluster's Secrets and its bootstrap record. */
    private <R extends HasMetadata> EventSource<?, Cluster> readOnly(Class<R> type, String labelSelector,
            EventSourceContext<Cluster> context) {
        return informers.eventSource(SecondaryIndex.cacheOnly(type, Cluster.class)
                .withLabelSelector(labelSelector)
                .build(), context);
    }

    private <R extends HasMetadata> EventSource<?, Cluster> byClusterLabel(Class<R> type,
            EventSourceContext<Cluster> context) {
        return informers.eventSource(SecondaryIndex.informer(type, Cluster.class)
                .withSecondaryToPrimaryMapper((R object) -> KilnLabels.clusterOf(object)
                        .map(name -> Set.of(new ResourceID(name, object.getMetadata().getNamespace())))
                        .orElse(Set.of()))
                .build(), context);
    }

    @Override
    public UpdateControl<Cluster> reconcile(Cluster cluster, Context<Cluster> context) {
        if (context.isPrimaryResourceDeleted()) {
            nodeEvents.track(NODE_EVENTS, ResourceID.fromResource(cluster), Map.of());
            return UpdateControl.noUpdate();
        }
        return pass(cluster, MachineReads.informers(client, context));
    }

    /** One pass on the Cluster as last read, every read live. */
    UpdateControl<Cluster> pass(Cluster cluster) {
        return pass(cluster, MachineReads.live(client));
    }

    /** What reconcile does for every event but the Cluster's own removal. */
    private UpdateControl<Cluster> pass(Cluster cluster, MachineReads reads) {
        List<Machine> machines = reads.controlPlaneMachines(cluster);
        ClusterScope scope = ClusterScope.of(cluster, machines);
        if (scope instanceof ClusterScope.Foreign && reads.cached()) {
            // Dropping the finalizer is not undone by a later pass: decide it on the server's list.
            return pass(cluster, MachineReads.live(client));
        }
        if (scope instanceof ClusterScope.Foreign) {
            nodeEvents.track(NODE_EVENTS, ResourceID.fromResource(cluster), Map.of());
            // A Cluster that stopped being Kiln's (its last Kiln machine went) must not be held by Kiln's finalizer.
            PrimaryUpdateAndCacheUtils.removeFinalizer(client, cluster, FINALIZER);
            return UpdateControl.noUpdate();
        }
        if (cluster.isPaused()) {
            // Unpausing by annotation raises no generation change, so a paused cluster is looked at now and then.
            return UpdateControl.<Cluster>noUpdate().rescheduleAfter(Decision.IDLE_RECHECK);
        }
        if (cluster.isMarkedForDeletion()) {
            nodeEvents.track(NODE_EVENTS, ResourceID.fromResource(cluster), Map.of());
            return cluster.hasFinalizer(FINALIZER) ? tearDown(cluster, reads.reader().read(machines))
                    : UpdateControl.noUpdate();
        }
        Cluster held = PrimaryUpdateAndCacheUtils.addFinalizer(client, cluster, FINALIZER);
        Decision decision = decide(held, reads.reader().read(machines), reads);
        decisions.record(held, decision);
        return UpdateControl.<Cluster>noUpdate().rescheduleAfter(decision.recheck());
    }

    private static Map<String, NodeCredentials> nodesOf(List<ControlPlaneMachine> machines,
            NodeCredentials credentials) {
        Map<String, NodeCredentials> nodes = new HashMap<>();
        machines.forEach(machine -> machine.node().ifPresent(node -> nodes.put(node.apiAddress(), credentials)));
        return nodes;
    }

    /** The whole cluster goes, etcd with it: hooks are released without any member leaving (see ClusterTeardown). */
    private UpdateControl<Cluster> tearDown(Cluster cluster, List<ControlPlaneMachine> machines) {
        ClusterTeardown step = ClusterTeardown.next(machines.stream().map(ControlPlaneMachine::view).toList());
        if (step instanceof ClusterTeardown.Done) {
            PrimaryUpdateAndCacheUtils.removeFinalizer(client, cluster, FINALIZER);
            return UpdateControl.noUpdate();
        }
        if (step instanceof ClusterTeardown.ReleaseHooks release) {
            release.machines().forEach(machine -> membership.releaseHook(cluster, machine));
            decisions.record(cluster, Decision.acted("PreTerminateHooksReleased", "the Cluster is being deleted and its"
                    + " etcd with it: released the pre-terminate hooks of " + String.join(", ", release.machines())
                    + " without removing their etcd members; their nodes are reset without leaving etcd"));
        } else {
            ClusterTeardown.WaitForMachines wait = (ClusterTeardown.WaitForMachines) step;
            decisions.record(cluster, Decision.waiting("WaitingForControlPlaneDeletion", "the Cluster is being"
                    + " deleted; waiting for control-plane machines " + String.join(", ", wait.machines())
                    + " to be gone"));
        }
        return UpdateControl.<Cluster>noUpdate().rescheduleAfter(Decision.PENDING_RECHECK);
    }

    private Decision decide(Cluster cluster, List<ControlPlaneMachine> machines, MachineReads reads) {
        Optional<SecretsBundle> bundle = ClusterSecrets.load(reads.secrets(), cluster.getMetadata().getNamespace(),
                cluster.getMetadata().getName());
        nodeEvents.track(NODE_EVENTS, ResourceID.fromResource(cluster), bundle.map(secrets -> nodesOf(machines,
                new NodeCredentials.ClusterAdmin(secrets))).orElse(Map.of()));
        if (bundle.isEmpty()) {
            return Decision.waiting("WaitingForSecrets", "secrets bundle "
                    + KilnLabels.secretsBundleName(cluster.getMetadata().getName()) + " does not exist yet");
        }
        NodeCredentials credentials = new NodeCredentials.ClusterAdmin(bundle.get());
        Optional<Record> record = bootstrapper.record(cluster, reads.records());
        BootstrapDecision bootstrap = BootstrapPlanner.decide(Bootstrapper.views(machines), record.map(Record::view),
                record.isEmpty() ? bootstrapper.etcdClusterIds(machines, credentials) : Map.of());
        if (!(bootstrap instanceof BootstrapDecision.AlreadyBootstrapped bootstrapped)) {
            RecoveryRequest recovery = RecoveryRequest.of(client, cluster);
            if (recovery instanceof RecoveryRequest.Refused refused) {
                return Decision.stuck("RecoverFromInvalid", refused.reason());
            }
            return bootstrapper.act(cluster, machines, bootstrap, record, credentials,
                    recovery instanceof RecoveryRequest.Requested requested ? Optional.of(requested.recovery())
                            : Optional.empty());
        }
        Optional<String> server = AdminKubeconfig.server(cluster);
        Optional<KubeconfigRenewal.Write> written = server.flatMap(s -> kubeconfig.ensure(reads.secrets(), cluster, bundle.get(), s,
                clock.instant()));
        if (written.isPresent()) {
            return Decision.acted(written.get().rotation() ? "KubeconfigRotated" : "KubeconfigWritten",
                    "wrote admin kubeconfig Secret " + AdminKubeconfig.name(cluster) + " for " + server.get() + ": "
                    + written.get().reason());
        }
        EtcdObservation members = etcd.read(machines, Askers.STAYING, Optional.of(bootstrapped.etcdClusterId()),
                credentials);
        if (members.problem().isPresent()) {
            return Decision.waiting("EtcdMembersUnknown", members.problem().get());
        }
        PlannedStep step = MembershipPlanner.plan(new PlanInput(Bootstrapper.views(machines), members.view(),
                removedMembers.among(machines, members, credentials)));
        if (reads.cached() && removes(step)) {
            // A member is removed or a hook released only on what the server holds now, never on a lagging cache.
            MachineReads live = MachineReads.live(client);
            return decide(cluster, live.reader().read(live.controlPlaneMachines(cluster)), live);
        }
        return membership.apply(cluster, step, machines, members, credentials);
    }

    private static boolean removes(PlannedStep step) {
        return step instanceof PlannedStep.RemoveStaleMember || step instanceof PlannedStep.LeaveBeforeDelete
                || step instanceof PlannedStep.ReleaseHook;
    }
}
