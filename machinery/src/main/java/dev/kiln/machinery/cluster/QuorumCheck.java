package dev.kiln.machinery.cluster;

import java.util.Objects;

/** Verdict of {@link Quorum#check}; an unsafe verdict says why with numbers. */
public sealed interface QuorumCheck {

    record Safe() implements QuorumCheck {
    }

    record Unsafe(String reason) implements QuorumCheck {
        public Unsafe {
            Objects.requireNonNull(reason, "reason");
        }
    }

    default boolean isSafe() {
        return this instanceof Safe;
    }
}
