package dev.kiln.capi.controlplane;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.common.Progress;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlane;
import dev.kiln.capi.api.controlplane.v1alpha1.KilnControlPlaneStatus;
import dev.kiln.capi.cluster.BootstrapRecordStore;
import dev.kiln.capi.cluster.EtcdMembershipReader;
import dev.kiln.capi.cluster.KilnEvents;
import dev.kiln.capi.cluster.MetadataOrSpecChanged;
import dev.kiln.capi.cluster.Pause;
import dev.kiln.capi.cluster.ReconcilerDependencies;
import dev.kiln.capi.cluster.StatusReplace;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.informers.SharedInformers;
import dev.kiln.capi.node.NodeCredentials;
import dev.kiln.capi.node.events.NodeEventSource;
import dev.kiln.capi.node.events.NodeEventStreams;
import dev.kiln.machinery.cluster.ScaleDecision;
import dev.kiln.machinery.cluster.ScaleDecision.RefuseEvenReplicas;
import dev.kiln.machinery.cluster.ScaleDecision.RollOut;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleDown;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleUp;
import dev.kiln.machinery.cluster.ScaleDecision.Steady;
import dev.kiln.machinery.cluster.ScaleDecision.Wait;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The control plane's machine count, KCP-style: observe, ask {@link dev.kiln.machinery.cluster.ScalePlanner} (through
 * {@link ScaleGate}), make at most one change, record the decision in status and as an Event. etcd membership is
 * the cluster etcd reconciler's: this one only creates and deletes Machines.
 */
@ControllerConfiguration(name = "kilncontrolplane", generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = MetadataOrSpecChanged.class))
public final class KilnControlPlaneReconciler implements Reconciler<KilnControlPlane> {

    /**
     * The safety resync: Machine changes and every event of a control-plane node (etcd health, reboots, the node
     * gone) reconcile the control plane at once; this only bounds how long a missed trigger can delay it.
     */
    public static final Duration RESYNC = Duration.ofSeconds(30);
    static final String NODE_EVENTS = "kilncontrolplane-node-events";

    private final KubernetesClient client;
    private final ControlPlaneObserver observer;
    private final MachineFactory machines;
    private final MachineRemover remover;
    private final TemplateMetadataSync metadataSync;
    private final InPlaceRollout rollout;
    private final KilnEvents events;
    private final Clock clock;
    private final Duration resync;
    private final NodeEventStreams nodeEvents;
    private final SharedInformers informers;

    public KilnControlPlaneReconciler(ReconcilerDependencies deps) {
        this(deps, RESYNC);
    }

    public KilnControlPlaneReconciler(ReconcilerDependencies deps, Duration resync) {
        this.client = deps.client();
        this.observer = new ControlPlaneObserver(deps.client(), new EtcdMembershipReader(deps.nodes()),
                new NodeVersionObserver(deps.nodes()), new BootstrapRecordStore(deps.client(), deps.identity(),
                        deps.clock()));
        this.machines = new MachineFactory(deps.client(), deps.clock());
        this.remover = new MachineRemover(deps.client(), deps.nodes());
        this.metadataSync = new TemplateMetadataSync(deps.client());
        this.rollout = new InPlaceRollout(deps.client(), deps.nodes(), deps.clock());
        this.events = deps.events("kiln-controlplane");
        this.clock = deps.clock();
        this.resync = resync;
        this.nodeEvents = deps.nodeEvents();
        this.informers = deps.informers();
    }

    @Override
    public List<EventSource<?, KilnControlPlane>> prepareEventSources(EventSourceContext<KilnControlPlane> context) {
        List<EventSource<?, KilnControlPlane>> sources =
                new ArrayList<>(ControlPlaneEventSources.of(informers, context));
        sources.add(new NodeEventSource<>(NODE_EVENTS, nodeEvents, context));
        return sources;
    }

    private static final Duration TEMPLATE_ADOPTED_RECHECK = Duration.ofMillis(200);
    /** No decision, no status write: the informer's Machine event that is on its way reconciles again. */
    private static final Outcome CACHE_BEHIND = Outcome.waiting("CacheBehind", "the cached Machines lag the server");
    private static final Duration CACHE_RECHECK = Duration.ofMillis(500);

    @Override
    public UpdateControl<KilnControlPlane> reconcile(KilnControlPlane cached, Context<KilnControlPlane> context) {
        return reconcile(cached, ControlPlaneReads.informers(client, context));
    }

    UpdateControl<KilnControlPlane> reconcile(KilnControlPlane cached, ControlPlaneReads reads) {
        // Only a copy older than our own last status write is read again: a pass must not decide on its own past.
        KilnControlPlane controlPlane = StatusReplace.mayLagOwnWrite(client, KilnControlPlane.class, cached)
                ? client.resources(KilnControlPlane.class).inNamespace(cached.getMetadata().getNamespace())
                        .withName(cached.getMetadata().getName()).get()
                : cached;
        if (controlPlane == null || controlPlane.getSpec() == null) {
            nodeEvents.track(NODE_EVENTS, ResourceID.fromResource(cached), Map.of());
            return UpdateControl.<KilnControlPlane>noUpdate().rescheduleAfter(resync);
        }
        Optional<Cluster> cluster = ControlPlaneObserver.ownerCluster(controlPlane, reads);
        Optional<String> paused = Pause.of(controlPlane, cluster);
        if (paused.isPresent()) {
            return recordPaused(controlPlane, paused);
        }
        if (cluster.isEmpty()) {
            return record(controlPlane, waitingForCluster(controlPlane));
        }
        if (TemplateOwnership.adopt(client, reads.templates(), controlPlane, cluster.get())) {
            return UpdateControl.<KilnControlPlane>noUpdate().rescheduleAfter(TEMPLATE_ADOPTED_RECHECK);
        }
        ControlPlaneState state = observer.observe(controlPlane, cluster.get(), reads);
        nodeEvents.track(NODE_EVENTS, ResourceID.fromResource(controlPlane), nodesOf(state));
        // In place and beside the one machine change: labels and annotations never make a machine outdated.
        List<String> relabelled = metadataSync.sync(state, reads.configs());
        if (!relabelled.isEmpty()) {
            events.record(controlPlane, KilnEvents.Type.Normal, "TemplateMetadataApplied", "spec.machineTemplate"
                    + ".metadata applied in place to " + String.join(", ", relabelled));
        }
        List<String> specProblems = ControlPlaneSpecCheck.problems(controlPlane.getSpec());
        Outcome outcome = specProblems.isEmpty() ? decideAndAct(state) : refuseInvalid(specProblems);
        if (outcome == CACHE_BEHIND) {
            return UpdateControl.<KilnControlPlane>noUpdate().rescheduleAfter(CACHE_RECHECK);
        }
        String previousDecision = controlPlane.getStatus() == null ? null : controlPlane.getStatus().getLastDecision();
        controlPlane.setStatus(ControlPlaneStatusCalculator.compute(controlPlane.getStatus(), state, outcome, clock));
        announce(controlPlane, previousDecision, outcome);
        return writeStatus(controlPlane, recheckAfter(outcome));
    }

    /** How soon to look again when no event may come: after a wait on a creation, and while an upgrade is under way. */
    private Duration recheckAfter(Outcome outcome) {
        if (outcome.reason().equals(MachineFactory.CREATION_IN_FLIGHT)) {
            return min(CACHE_RECHECK, resync);
        }
        // A node's reboot and trial send no Kubernetes event.
        if (outcome.reason().equals(InPlaceRollout.IN_PROGRESS_REASON)) {
            return min(InPlaceRollout.RECHECK, resync);
        }
        return resync;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Map<String, NodeCredentials> nodesOf(ControlPlaneState state) {
        Map<String, NodeCredentials> nodes = new HashMap<>();
        state.credentials().ifPresent(credentials -> state.machines().forEach(machine -> machine.node()
                .ifPresent(node -> nodes.put(node.apiAddress(), credentials))));
        return nodes;
    }

    /**
     * Under InPlace, the upgrade planner's step when it must come first (a halt, a machine mid-upgrade) or when the
     * machine count and config are as desired; otherwise the scale planner's.
     */
    private Outcome decideAndAct(ControlPlaneState state) {
        ScaleDecision scale = ScaleGate.decide(state);
        if (!ControlPlaneObserver.inPlace(state.controlPlane().getSpec().getRolloutStrategy())) {
            return act(state, scale);
        }
        UpgradeFacts facts = rollout.facts(state);
        UpgradeStep step = rollout.plan(facts);
        if (InPlaceRollout.takesPrecedence(facts, step) || scale instanceof Steady) {
            boolean acts = step instanceof UpgradeStep.Upgrade || step instanceof UpgradeStep.ForfeitLeadership;
            return acts && !machinesCurrent(state) ? CACHE_BEHIND : rollout.act(state, step);
        }
        return act(state, scale);
    }

    /**
     * Whether the Machines this pass decided on are still as the server has them, listed live: a deletion or an
     * upgrade decided on an informer's copy that lags our own last change could take a second machine out at once.
     * A live read at this one decision point rather than expectations: one list per change, none in steady state.
     * Creation has its own live check and the creation ledger ({@link MachineFactory}).
     */
    private boolean machinesCurrent(ControlPlaneState state) {
        Map<String, String> decidedOn = new HashMap<>();
        state.machines().forEach(m -> decidedOn.put(m.name(), m.machine().getMetadata().getResourceVersion()));
        Map<String, String> live = new HashMap<>();
        ControlPlaneObserver.ownedMachines(client, state.controlPlane(), state.cluster())
                .forEach(m -> live.put(m.getMetadata().getName(), m.getMetadata().getResourceVersion()));
        return decidedOn.equals(live);
    }

    /** The one change of this pass, if any. */
    private Outcome act(ControlPlaneState state, ScaleDecision decision) {
        if (decision instanceof RefuseEvenReplicas refuse) {
            return Outcome.refused("RefuseEvenReplicas", "EvenReplicas", "spec.replicas: " + refuse.message());
        }
        if (decision instanceof ScaleUp up) {
            return machines.create(state, up.reason(), up.failureDomains());
        }
        if (decision instanceof ScaleDown down) {
            return machinesCurrent(state)
                    ? remover.remove(state, down.machineName(), "ScaleDown", "ScalingDown", down.reason())
                    : CACHE_BEHIND;
        }
        if (decision instanceof RollOut rollOut) {
            return machinesCurrent(state)
                    ? remover.remove(state, rollOut.machineName(), "RollOut", "RollingOut", rollOut.reason())
                    : CACHE_BEHIND;
        }
        if (decision instanceof Wait wait) {
            return Outcome.waiting("Waiting", wait.reason());
        }
        if (decision instanceof Steady) {
            return new Outcome("Steady", "AtDesiredReplicas", state.liveMachines().size()
                    + " machines, all up to date", false);
        }
        throw new IllegalStateException("unknown scale decision " + decision);
    }

    private static Outcome refuseInvalid(List<String> problems) {
        return Outcome.refused("RefuseInvalidSpec", "InvalidSpec", String.join("; ", problems)
                + "; no machine is created, deleted or replaced until the spec is fixed");
    }

    private Outcome waitingForCluster(KilnControlPlane controlPlane) {
        return Outcome.waiting("WaitingForCluster", "no owner Cluster found for " + controlPlane.getMetadata().getName()
                + ": neither an ownerReference of kind Cluster nor the label cluster.x-k8s.io/cluster-name names an "
                + "existing Cluster");
    }

    private UpdateControl<KilnControlPlane> record(KilnControlPlane controlPlane, Outcome outcome) {
        KilnControlPlaneStatus status = controlPlane.getStatus() == null ? new KilnControlPlaneStatus()
                : controlPlane.getStatus();
        String previousDecision = status.getLastDecision();
        long generation = Objects.requireNonNullElse(controlPlane.getMetadata().getGeneration(), 0L);
        status.setObservedGeneration(generation);
        status.setLastDecision(outcome.summary());
        Conditions.set(status, new Condition(ControlPlaneStatusCalculator.RESIZED, Conditions.FALSE, outcome.reason(),
                outcome.message(), generation), clock);
        KstatusConditions.record(status, new Progress.Working(outcome.reason(), outcome.message()), generation, clock);
        controlPlane.setStatus(status);
        announce(controlPlane, previousDecision, outcome);
        return writeStatus(controlPlane);
    }

    /** Paused: nothing is created or deleted; only Paused and observedGeneration are recorded. */
    private UpdateControl<KilnControlPlane> recordPaused(KilnControlPlane controlPlane, Optional<String> why) {
        KilnControlPlaneStatus status = controlPlane.getStatus() == null ? new KilnControlPlaneStatus()
                : controlPlane.getStatus();
        long generation = Objects.requireNonNullElse(controlPlane.getMetadata().getGeneration(), 0L);
        controlPlane.setStatus(status);
        return KstatusConditions.recordPause(status, why, generation, clock) ? writeStatus(controlPlane)
                : UpdateControl.<KilnControlPlane>noUpdate().rescheduleAfter(resync);
    }

    /** The whole status in one write (see {@link StatusReplace} for why). */
    private UpdateControl<KilnControlPlane> writeStatus(KilnControlPlane controlPlane) {
        return writeStatus(controlPlane, resync);
    }

    private UpdateControl<KilnControlPlane> writeStatus(KilnControlPlane controlPlane, Duration recheck) {
        StatusReplace.write(client, KilnControlPlane.class, controlPlane, controlPlane.getStatus());
        return UpdateControl.<KilnControlPlane>noUpdate().rescheduleAfter(recheck);
    }

    /** One Event per new decision: a repeated wait is not news. */
    private void announce(KilnControlPlane controlPlane, String previousDecision, Outcome outcome) {
        if (!outcome.summary().equals(previousDecision)) {
            events.record(controlPlane, outcome.warning() ? KilnEvents.Type.Warning : KilnEvents.Type.Normal,
                    outcome.reason(), outcome.summary());
        }
    }
}
