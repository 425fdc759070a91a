package dev.kiln.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Builds the JOSDK operator from the settings and registers Kiln's reconcilers on it. */
final class OperatorWiring {

    private OperatorWiring() {
    }

    /**
     * @param ownsClient unused by JOSDK: the client outlives its stop so the Lease can be released after it
     * @param stopping whether the process is shutting down, so a released Lease is not taken for a lost one
     * @param exit ends the process when the Lease is lost
     */
    static Operator operator(OperatorSettings settings, KubernetesClient client, boolean ownsClient,
            MeterRegistry registry, JosdkHealth health, BooleanSupplier stopping, Runnable exit) {
        return new Operator(overrider -> configure(overrider, settings, client, ownsClient, registry, health,
                stopping, exit));
    }

    static void configure(ConfigurationServiceOverrider overrider, OperatorSettings settings,
            KubernetesClient client, boolean ownsClient, MeterRegistry registry, JosdkHealth health,
            BooleanSupplier stopping, Runnable exit) {
        overrider.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(settings.ssa())
                .withSSABasedCreateUpdateMatchForDependentResources(settings.ssa())
                .withStopOnInformerErrorDuringStartup(true)
                .withInformerStoppedHandler(health)
                // per-resource meters would grow with every object ever reconciled; per kind is enough
                .withMetrics(MicrometerMetrics.newMicrometerMetricsBuilder(registry)
                        .notCollectingMetricsPerResource().build());
        if (settings.leaderElection()) {
            overrider.withLeaderElectionConfiguration(
                    LeaderElection.configuration(settings, client.getNamespace(), stopping, exit));
        }
    }

    /**
     * Registers every reconciler, each restricted to the watched namespace and to objects carrying the watch-filter
     * label when those are set.
     */
    static void register(Operator operator, List<Reconciler<?>> reconcilers, OperatorSettings settings) {
        for (Reconciler<?> reconciler : reconcilers) {
            register(operator, reconciler, settings.watchNamespace(), settings.watchFilterSelector());
        }
    }

    private static <P extends HasMetadata> void register(Operator operator, Reconciler<P> reconciler,
            Optional<String> watchNamespace, Optional<String> labelSelector) {
        operator.register(reconciler, overrider -> {
            watchNamespace.ifPresent(overrider::settingNamespace);
            labelSelector.ifPresent(overrider::withLabelSelector);
        });
    }
}
