package dev.kiln.machinery.cluster;

import java.util.Objects;

/** The single membership step {@link MembershipPlanner} allows this pass. */
public sealed interface PlannedStep {

    /** Let this machine add itself to etcd as a learner (nodes join by themselves once allowed). */
    record Join(String machineName) implements PlannedStep {
        public Join {
            Objects.requireNonNull(machineName, "machineName");
        }
    }

    record Promote(long memberId) implements PlannedStep {
    }

    /** Remove a member no control-plane machine runs. */
    record RemoveStaleMember(long memberId, String reason) implements PlannedStep {
        public RemoveStaleMember {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Remove the member of a deleting machine while its pre-terminate hook still holds its infrastructure. */
    record LeaveBeforeDelete(String machineName, long memberId) implements PlannedStep {
        public LeaveBeforeDelete {
            Objects.requireNonNull(machineName, "machineName");
        }
    }

    /** The deleting machine's member is gone; drop the pre-terminate hook so deletion can finish. */
    record ReleaseHook(String machineName) implements PlannedStep {
        public ReleaseHook {
            Objects.requireNonNull(machineName, "machineName");
        }
    }

    /** Delete this machine, whose node says its etcd member was removed; its owner then creates a replacement. */
    record ReplaceMachine(String machineName, String reason) implements PlannedStep {
        public ReplaceMachine {
            Objects.requireNonNull(machineName, "machineName");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A change is needed but none is safe or possible now. */
    record Wait(String reason) implements PlannedStep {
        public Wait {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Membership matches the machines; nothing to do. */
    record Converged() implements PlannedStep {
    }
}
