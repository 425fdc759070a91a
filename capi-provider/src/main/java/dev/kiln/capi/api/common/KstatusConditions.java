package dev.kiln.capi.api.common;

import java.time.Clock;
import java.util.Optional;

/**
 * Records the conditions GitOps tools read (kstatus: Ready, Reconciling, Stalled; Cluster API v1beta2: Paused) so
 * that every Kiln kind tells Argo CD and Flux the same truth the same way.
 */
public final class KstatusConditions {
    public static final String READY = "Ready";
    public static final String RECONCILING = "Reconciling";
    public static final String STALLED = "Stalled";
    public static final String PAUSED = "Paused";
    public static final String PAUSED_REASON = "Paused";
    public static final String NOT_PAUSED_REASON = "NotPaused";

    private KstatusConditions() {
    }

    /**
     * Sets Ready from the progress, Reconciling True only while working, Stalled True only while stuck (each removed
     * otherwise), Paused False, and status.observedGeneration.
     *
     * @return whether any of them changed
     */
    public static boolean record(HasConditions status, Progress progress, long generation, Clock clock) {
        boolean changed = Conditions.set(status, new Condition(READY,
                progress instanceof Progress.Done ? Conditions.TRUE : Conditions.FALSE,
                progress.reason(), progress.message(), generation), clock);
        changed |= flag(status, RECONCILING, progress instanceof Progress.Working, progress, generation, clock);
        changed |= flag(status, STALLED, progress instanceof Progress.Stuck, progress, generation, clock);
        changed |= recordPause(status, Optional.empty(), generation, clock);
        return changed;
    }

    /**
     * Sets Paused (True with why, or False) and status.observedGeneration; a paused pass changes nothing else, so
     * Ready, Reconciling and Stalled keep what the last unpaused pass saw.
     *
     * @return whether anything changed
     */
    public static boolean recordPause(HasConditions status, Optional<String> pausedBecause, long generation,
            Clock clock) {
        boolean changed = !Long.valueOf(generation).equals(status.getObservedGeneration());
        status.setObservedGeneration(generation);
        Condition paused = pausedBecause
                .map(why -> new Condition(PAUSED, Conditions.TRUE, PAUSED_REASON, why, generation))
                .orElseGet(() -> new Condition(PAUSED, Conditions.FALSE, NOT_PAUSED_REASON, null, generation));
        return Conditions.set(status, paused, clock) | changed;
    }

    private static boolean flag(HasConditions status, String type, boolean on, Progress progress, long generation,
            Clock clock) {
        return on
                ? Conditions.set(status, new Condition(type, Conditions.TRUE, progress.reason(), progress.message(),
                        generation), clock)
                : Conditions.remove(status, type);
    }
}
