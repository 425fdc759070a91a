package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.common.KstatusConditions;
import dev.kiln.capi.api.infrastructure.v1alpha1.FailureDomain;
import dev.kiln.capi.api.infrastructure.v1alpha1.InfrastructureInitialization;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterStatus;
import dev.kiln.capi.cluster.ClusterLookup;
import dev.kiln.capi.cluster.Pause;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The infrastructure cluster: provisioned as soon as its control-plane endpoint is known. */
@ControllerConfiguration(name = "kilncluster")
public final class KilnClusterReconciler implements Reconciler<KilnCluster> {

    static final String READY = KstatusConditions.READY;
    static final String FAILURE_DOMAINS_REPORTED = "FailureDomainsReported";
    /** Pausing or unpausing the Cluster sends this reconciler no event, so each KilnCluster is looked at again. */
    static final Duration RECHECK = Duration.ofSeconds(10);

    private final ClusterLookup clusters;
    private final Clock clock;

    public KilnClusterReconciler(ClusterLookup clusters, Clock clock) {
        this.clusters = clusters;
        this.clock = clock;
    }

    @Override
    public UpdateControl<KilnCluster> reconcile(KilnCluster kilnCluster, Context<KilnCluster> context) {
        KilnClusterStatus status = kilnCluster.getStatus() == null ? new KilnClusterStatus() : kilnCluster.getStatus();
        kilnCluster.setStatus(status);
        long generation = kilnCluster.getMetadata().getGeneration() == null ? 0 : kilnCluster.getMetadata().getGeneration();
        Optional<String> paused = Pause.of(kilnCluster, clusters.clusterOf(kilnCluster));
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
