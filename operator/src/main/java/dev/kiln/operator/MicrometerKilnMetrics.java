package dev.kiln.operator;

import dev.kiln.capi.cluster.KilnMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Kiln's own counters; Prometheus shows them as kiln_bootstraps_total and kiln_etcd_member_removals_total. */
public final class MicrometerKilnMetrics implements KilnMetrics {

    static final String BOOTSTRAPS = "kiln.bootstraps";
    static final String MEMBER_REMOVALS = "kiln.etcd.member.removals";

    private final MeterRegistry registry;

    public MicrometerKilnMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void bootstrapCalled(String cluster) {
        Counter.builder(BOOTSTRAPS)
                .description("etcd bootstrap calls made, per cluster (at most one in a cluster's life)")
                .tag("cluster", cluster)
                .register(registry)
                .increment();
    }

    @Override
    public void memberRemoved(String cluster, String reason) {
        Counter.builder(MEMBER_REMOVALS)
                .description("etcd members removed, per cluster and reason")
                .tag("cluster", cluster)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
