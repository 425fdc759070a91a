package dev.kiln.machinery.cluster;

import java.util.Objects;

/** One etcd membership change whose quorum safety {@link Quorum#check} judges. */
public sealed interface MembershipChange {

    /** Add a non-voting learner; the voting set is unchanged. */
    record AddLearner(String memberName) implements MembershipChange {
        public AddLearner {
            Objects.requireNonNull(memberName, "memberName");
        }
    }

    /** Turn a learner into a voter; the voting set grows by one. */
    record PromoteLearner(long memberId) implements MembershipChange {
    }

    /** Remove a member; the voting set shrinks by one if it votes. */
    record RemoveMember(long memberId) implements MembershipChange {
    }
}
