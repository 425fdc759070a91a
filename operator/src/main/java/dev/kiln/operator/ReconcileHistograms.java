package dev.kiln.operator;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/**
 * Publishes JOSDK's per-controller execution timers as histograms (buckets from 1 ms to 60 s), so reconcile p50 and
 * p99 per controller can be read from /metrics, over any window a scraper chooses.
 */
final class ReconcileHistograms implements MeterFilter {

    static final String CONTROLLER_EXECUTION = "operator.sdk.controllers.execution.";

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        if (!id.getName().startsWith(CONTROLLER_EXECUTION)) {
            return config;
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(true)
                .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos())
                .build()
                .merge(config);
    }
}
