package dev.kiln.node.bootloader;

import dev.kiln.node.disk.BootSlot;
import dev.kiln.node.disk.Meta;
import java.util.Optional;

/**
 * What the bootloader does before each launch, decided from META alone: which slot to boot and the META to write
 * before launching it. A slot on trial that used up its attempts or its time is abandoned for the previous slot.
 */
public final class BootDecision {

    /** The slot to boot (empty: the original distribution, nothing installed yet) and the META to save first. */
    public sealed interface Choice permits Boot, RollBack {
        Optional<BootSlot> slot();

        Meta meta();
    }

    /** Boot the active slot; {@code trialDeadlineMillis} is set while it is on trial. */
    public record Boot(Optional<BootSlot> slot, Meta meta, Optional<Long> trialDeadlineMillis) implements Choice {
    }

    /** Give up on the trial slot and boot the previous one; {@code message} is what META now records. */
    public record RollBack(Optional<BootSlot> slot, Meta meta, String message) implements Choice {
    }

    private BootDecision() {
    }

    public static Choice decide(Meta meta, long nowMillis, TrialLimits limits) {
        Optional<Meta.Trial> trial = meta.trialPending();
        if (trial.isEmpty()) {
            return new Boot(installedSlot(meta), meta.withBootAttempt(), Optional.empty());
        }
        Meta.Trial pending = trial.get();
        if (meta.bootAttempts() >= limits.attempts()) {
            return rollBack(meta, pending, "not confirmed healthy after " + meta.bootAttempts() + " boot attempts");
        }
        long timeoutMillis = limits.timeout().toMillis();
        if (pending.startedAtMillis() > 0 && nowMillis - pending.startedAtMillis() >= timeoutMillis) {
            return rollBack(meta, pending, "not confirmed healthy within " + limits.timeout().toSeconds() + "s");
        }
        Meta.Trial started = pending.startedAtMillis() > 0 ? pending : pending.startedAt(nowMillis);
        return new Boot(installedSlot(meta), meta.withTrial(started).withBootAttempt(),
                Optional.of(started.startedAtMillis() + timeoutMillis));
    }

    private static RollBack rollBack(Meta meta, Meta.Trial trial, String reason) {
        BootSlot previous = meta.activeSlot().other();
        String failed = meta.installedVersion().orElse("the upgraded version");
        String restored = meta.installedVersion(previous).orElse(trial.fromVersion());
        String message = "rolled back from " + failed + " to " + restored + ": " + reason;
        Meta next = meta.activate(previous).withLastRollback(message).withBootAttempt();
        return new RollBack(installedSlot(next), next, message);
    }

    private static Optional<BootSlot> installedSlot(Meta meta) {
        return meta.installedVersion().map(version -> meta.activeSlot());
    }
}
