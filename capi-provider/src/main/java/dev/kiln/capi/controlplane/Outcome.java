package dev.kiln.capi.controlplane;

/**
 * What one pass decided and did, for status and the Event.
 *
 * @param decision the kind of decision (ScaleUp, ScaleDown, RollOut, Wait, Steady, RefuseEvenReplicas,
 *                 RefuseInvalidSpec; in place: Upgrade, ForfeitLeadership, Halt)
 * @param reason   the Resized condition's reason
 * @param message  a sentence for humans: why, and what changed
 * @param warning  something users must fix, recorded as a Warning event
 */
record Outcome(String decision, String reason, String message, boolean warning) {

    static Outcome waiting(String reason, String message) {
        return new Outcome("Wait", reason, message, false);
    }

    static Outcome refused(String decision, String reason, String message) {
        return new Outcome(decision, reason, message, true);
    }

    /** A spec Kiln will not act on (even replicas, an invalid field): never at the desired state. */
    boolean refusal() {
        return decision.startsWith("Refuse");
    }

    /** A failed in-place upgrade: stuck until the target changes. */
    boolean halted() {
        return decision.equals("Halt");
    }

    /** The text kept in status.lastDecision; an Event is written only when it changes. */
    String summary() {
        return decision + ": " + message;
    }
}
