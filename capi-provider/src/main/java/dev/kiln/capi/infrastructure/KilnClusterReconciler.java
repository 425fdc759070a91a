package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.infrastructure.v1alpha1.FailureDomain;
import dev.kiln.capi.api.infrastructure.v1alpha1.InfrastructureInitialization;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterStatus;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.ClusterMappers;
import dev.kiln.capi.cluster.Pause;
import dev.kiln.capi.cluster.SecondaryIndex;
import dev.kiln.capi.core.v1beta1.Cluster;
import dev.kiln.capi.informers.SharedInformers;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The infrastructure cluster: provisioned as soon as its control-plane endpoint is known. */
// Not generation-aware: adding or removing the pause annotation changes no generation. Status is written only when
// it changes, so its own writes do not loop.
@ControllerConfiguration(name = "kilncluster", generationAwareEventProcessing = false)
public final class KilnClusterReconciler implements Reconciler<KilnCluster> {

    static final String READY = KstatusConditions.READY;
    static final String FAILURE_DOMAINS_REPORTED = "FailureDomainsReported";
    /** A safety resync: the KilnCluster's own changes and its Cluster's arrive as events. */
    static final Duration RECHECK = Duration.ofSeconds(30);

    private final ClusterLookup clusters;
    private final SharedInformers informers;
    private final Clock clock;

    public KilnClusterReconciler(ClusterLookup clusters, SharedInformers informers, Clock clock) {
        this.clusters = clusters;
        this.informers = informers;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, KilnCluster>> prepareEventSources(EventSourceContext<KilnCluster> context) {
        var clusters = SecondaryIndex.informer(Cluster.class, KilnCluster.class)
                .withSecondaryToPrimaryMapper(ClusterMappers.fromCluster(context))
                .build();
        return List.of(informers.eventSource(clusters, context));
    }

    @Override
    public UpdateControl<KilnCluster> reconcile(KilnCluster kilnCluster, Context<KilnCluster> context) {
        KilnClusterStatus status = kilnCluster.getStatus() == null ? new KilnClusterStatus() : kilnCluster.getStatus();
        kilnCluster.setStatus(status);
        long generation = kilnCluster.getMetadata().getGeneration() == null ? 0 : kilnCluster.getMetadata().getGeneration();
        Optional<String> paused = Pause.of(kilnCluster,
                clusters.clusterOf(kilnCluster, ClusterLookup.informerCache(context)));
        if (paused.isPresent()) {
            return (KstatusConditions.recordPause(status, paused, generation, clock)
                    ? UpdateControl.patchStatus(kilnCluster) : UpdateControl.<KilnCluster>noUpdate())
                    .rescheduleAfter(RECHECK);
        }
        var endpoint = kilnCluster.getSpec() == null ? null : kilnCluster.getSpec().getControlPlaneEndpoint();
        boolean provisioned = KilnClusterReadiness.provisioned(endpoint);
        boolean changed = !Boolean.valueOf(provisioned).equals(status.getProvisioned())
                || !Boolean.valueOf(provisioned).equals(status.getReady());
        status.setProvisioned(provisioned);
        status.setReady(provisioned);
        InfrastructureInitialization initialization = new InfrastructureInitialization();
        initialization.setProvisioned(provisioned);
        status.setInitialization(initialization);
        changed |= KstatusConditions.record(status, KilnClusterReadiness.decide(endpoint), generation, clock);
        changed |= reportFailureDomains(kilnCluster, status, generation);
        return (changed ? UpdateControl.patchStatus(kilnCluster) : UpdateControl.<KilnCluster>noUpdate())
                .rescheduleAfter(RECHECK);
    }

    /** @return whether the reported domains or their condition changed */
    private boolean reportFailureDomains(KilnCluster kilnCluster, KilnClusterStatus status, long generation) {
        FailureDomainReport report = FailureDomainReport.of(kilnCluster.getSpec() == null ? null
                : kilnCluster.getSpec().getFailureDomains());
        List<FailureDomain> reported = report.reported().isEmpty() ? null : report.reported();
        boolean changed = !Objects.equals(reported, status.getFailureDomains());
        status.setFailureDomains(reported);
        return Conditions.set(status, report.problems().isEmpty()
                ? new Condition(FAILURE_DOMAINS_REPORTED, Conditions.TRUE, "Reported", report.reported().size()
                        + " failure domain(s) declared in spec.failureDomains", generation)
                : new Condition(FAILURE_DOMAINS_REPORTED, Conditions.FALSE, "InvalidFailureDomains",
                        String.join("; ", report.problems()) + "; no failure domain is reported until fixed",
                        generation), clock) || changed;
    }
}
