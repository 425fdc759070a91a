package dev.kiln.capi.cluster;

/** Counters of the decisions that matter to operators of Kiln; the operator module backs them with Micrometer. */
public interface KilnMetrics {

    KilnMetrics NONE = new KilnMetrics() {
        @Override
        public void bootstrapCalled(String cluster) {
        }

        @Override
        public void memberRemoved(String cluster, String reason) {
        }
    };

    void bootstrapCalled(String cluster);

    void memberRemoved(String cluster, String reason);
}
