package dev.kiln.machinery.cluster;

import java.util.Objects;

/** What to write to the bootstrap record after calling Bootstrap. */
public sealed interface AfterBootstrapCall {

    record MarkCompleted(String etcdClusterId) implements AfterBootstrapCall {
        public MarkCompleted {
            Objects.requireNonNull(etcdClusterId, "etcdClusterId");
        }
    }

    /** Leave the record pending; the next pass asks the same machine again. */
    record CheckAgain(String reason) implements AfterBootstrapCall {
        public CheckAgain {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
