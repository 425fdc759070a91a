package dev.kiln.capi.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Whether to take a backup now, and why; or until when to wait. Pure: the reconciler acts on it. */
public sealed interface BackupDecision {

    Duration FIRST_RETRY = Duration.ofSeconds(10);
    Duration LONGEST_RETRY = Duration.ofMinutes(5);

    enum Trigger { SCHEDULED, ON_DEMAND, RETRY }

    record Take(Trigger trigger, String reason) implements BackupDecision {}

    record Wait(Instant until, String reason) implements BackupDecision {}

    /**
     * What earlier passes recorded in status.
     *
     * @param since               when scheduling started (the object's creation)
     * @param lastScheduled       when the last scheduled backup succeeded
     * @param lastOnDemandRequest the on-demand request value last served (successfully or not)
     * @param failuresInARow      attempts that failed since the last success
     * @param lastFailure         when the last of them failed
     */
    record History(Instant since, Optional<Instant> lastScheduled, Optional<String> lastOnDemandRequest,
            int failuresInARow, Optional<Instant> lastFailure) {}

    static BackupDecision decide(History history, BackupSchedule schedule, boolean suspended,
            Optional<String> onDemandRequest, Instant now) {
        if (history.failuresInARow() > 0 && history.lastFailure().isPresent()) {
            Instant retryAt = history.lastFailure().get().plus(retryDelay(history.failuresInARow()));
            if (now.isBefore(retryAt)) {
                return new Wait(retryAt, "attempt " + history.failuresInARow() + " failed; retrying at " + retryAt);
            }
        }
        boolean newRequest = onDemandRequest.filter(r -> !r.isBlank())
                .filter(r -> history.lastOnDemandRequest().map(last -> !last.equals(r)).orElse(true)).isPresent();
        if (newRequest) {
            return new Take(Trigger.ON_DEMAND, "on-demand backup requested (" + onDemandRequest.get() + ")");
        }
        if (suspended) {
            return new Wait(Instant.MAX, "scheduled backups are suspended (spec.suspend)");
        }
        Instant due = schedule.nextAfter(history.lastScheduled().orElse(history.since()));
        if (now.isBefore(due)) {
            return new Wait(due, "next scheduled backup at " + due);
        }
        return history.failuresInARow() > 0
                ? new Take(Trigger.RETRY, "retrying after " + history.failuresInARow() + " failed attempt(s)")
                : new Take(Trigger.SCHEDULED, "scheduled backup due at " + due);
    }

    /** 10 s, doubling per failure, at most 5 minutes. */
    static Duration retryDelay(int failuresInARow) {
        int doublings = Math.min(Math.max(failuresInARow - 1, 0), 10);
        Duration delay = FIRST_RETRY.multipliedBy(1L << doublings);
        return delay.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : delay;
    }
}
