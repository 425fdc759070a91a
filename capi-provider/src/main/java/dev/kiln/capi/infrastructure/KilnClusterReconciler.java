package dev.kiln.capi.infrastructure;

import dev.kiln.capi.api.common.Condition;
import dev.kiln.capi.api.common.Conditions;
import dev.kiln.capi.api.infrastructure.v1alpha1.InfrastructureInitialization;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnCluster;
import dev.kiln.capi.api.infrastructure.v1alpha1.KilnClusterStatus;
import dev.kiln.capi.cluster.ClusterLookup;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;

/** The infrastructure cluster: provisioned as soon as its control-plane endpoint is known. */
@ControllerConfiguration(name = "kilncluster")
public final class KilnClusterReconciler implements Reconciler<KilnCluster> {

    static final String READY = "Ready";
    static final String FAILURE_DOMAINS_REPORTED = "FailureDomainsReported";

    private final ClusterLookup clusters;
    private final Clock clock;

    public KilnClusterReconciler(ClusterLookup clusters, Clock clock) {
        this.clusters = clusters;
        this.clock = clock;
    }

    @Override
    public UpdateControl<KilnCluster> reconcile(KilnCluster kilnCluster, Context<KilnCluster> context) {
        if (clusters.clusterOf(kilnCluster).map(c -> c.isPaused()).orElse(false)) {
            return UpdateControl.noUpdate();
        }
        KilnClusterStatus status = kilnCluster.getStatus() == null ? new KilnClusterStatus() : kilnCluster.getStatus();
        long generation = kilnCluster.getMetadata().getGeneration() == null ? 0 : kilnCluster.getMetadata().getGeneration();
        var endpoint = kilnCluster.getSpec() == null ? null : kilnCluster.getSpec().getControlPlaneEndpoint();
        boolean provisioned = endpoint != null && endpoint.getHost() != null && !endpoint.getHost().isBlank();
        status.setProvisioned(provisioned);
        status.setReady(provisioned);
        InfrastructureInitialization initialization = new InfrastructureInitialization();
        initialization.setProvisioned(provisioned);
        status.setInitialization(initialization);
        status.setObservedGeneration(generation);
        Conditions.set(status, provisioned
                ? new Condition(READY, Conditions.TRUE, "EndpointKnown", "control-plane endpoint " + endpoint.getHost()
                        + (endpoint.getPort() == null ? "" : ":" + endpoint.getPort()), generation)
                : new Condition(READY, Conditions.FALSE, "WaitingForEndpoint",
                        "spec.controlPlaneEndpoint.host is not set", generation), clock);
        reportFailureDomains(kilnCluster, status, generation);
        kilnCluster.setStatus(status);
        return UpdateControl.patchStatus(kilnCluster);
    }

    private void reportFailureDomains(KilnCluster kilnCluster, KilnClusterStatus status, long generation) {
        FailureDomainReport report = FailureDomainReport.of(kilnCluster.getSpec() == null ? null
                : kilnCluster.getSpec().getFailureDomains());
        status.setFailureDomains(report.reported().isEmpty() ? null : report.reported());
        Conditions.set(status, report.problems().isEmpty()
                ? new Condition(FAILURE_DOMAINS_REPORTED, Conditions.TRUE, "Reported", report.reported().size()
                        + " failure domain(s) declared in spec.failureDomains", generation)
                : new Condition(FAILURE_DOMAINS_REPORTED, Conditions.FALSE, "InvalidFailureDomains",
                        String.join("; ", report.problems()) + "; no failure domain is reported until fixed",
                        generation), clock);
    }
}
