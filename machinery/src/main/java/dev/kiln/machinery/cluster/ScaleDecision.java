package dev.kiln.machinery.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The control-plane machine change {@link ScalePlanner} allows this pass. */
public sealed interface ScaleDecision {

    /** I4: even counts tolerate no more failures than one fewer member, with more ways to lose quorum. */
    record RefuseEvenReplicas(int replicas, String message) implements ScaleDecision {
        public RefuseEvenReplicas {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Create control-plane machines, one per entry of {@code failureDomains}, each in its domain when machines are spread
     * over domains: every missing machine at once, since each joins etcd as a learner and etcd admits one at a time.
     */
    record ScaleUp(String reason, List<Optional<String>> failureDomains) implements ScaleDecision {
        public ScaleUp {
            Objects.requireNonNull(reason, "reason");
            failureDomains = List.copyOf(failureDomains);
            if (failureDomains.isEmpty()) {
                throw new IllegalArgumentException("a scale up creates at least one machine");
            }
        }

        /** One machine, in {@code failureDomain} when machines are spread over domains. */
        public ScaleUp(String reason, Optional<String> failureDomain) {
            this(reason, List.of(failureDomain));
        }

        public ScaleUp(String reason) {
            this(reason, Optional.empty());
        }

        public int count() {
            return failureDomains.size();
        }
    }

    /** Delete this machine because there are more than desired. */
    record ScaleDown(String machineName, String reason) implements ScaleDecision {
        public ScaleDown {
            Objects.requireNonNull(machineName, "machineName");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** maxSurge 0: delete this outdated machine first; its replacement follows as a scale up. */
    record RollOut(String machineName, String reason) implements ScaleDecision {
        public RollOut {
            Objects.requireNonNull(machineName, "machineName");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A preflight check failed; nothing changes this pass. */
    record Wait(String reason) implements ScaleDecision {
        public Wait {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** As many up-to-date machines as desired. */
    record Steady() implements ScaleDecision {
    }
}
