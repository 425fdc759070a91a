package dev.kiln.machinery.cluster;

import dev.kiln.machinery.cluster.MembershipChange.AddLearner;
import dev.kiln.machinery.cluster.MembershipChange.PromoteLearner;
import dev.kiln.machinery.cluster.MembershipChange.RemoveMember;
import java.util.Optional;

/**
 * Quorum arithmetic and the safety rule for a single membership change.
 *
 * <p>Every change must be committed by the current voting set, so the current voters must be healthy-quorate.
 * On top of that:
 * <ul>
 *   <li>add learner: voting set unchanged; at least one voter must exist (an empty cluster is bootstrapped, not
 *       joined);</li>
 *   <li>promote: the learner must be healthy (in sync); healthy voters after, counting it, must reach
 *       {@code quorumOf(n + 1)};</li>
 *   <li>remove a voter: the target set {@code n - 1} must not be empty and its healthy voters (excluding the
 *       removed one) must reach {@code quorumOf(n - 1)};</li>
 *   <li>remove a learner: voting set unchanged.</li>
 * </ul>
 * Health is taken from the view as given; callers fold in machine failures first.
 */
public final class Quorum {

    private static final QuorumCheck SAFE = new QuorumCheck.Safe();

    private Quorum() {
    }

    /** floor(n/2)+1 for n >= 1; 0 for an empty voting set, which has no data to keep safe. */
    public static int quorumOf(int votingMembers) {
        if (votingMembers < 0) {
            throw new IllegalArgumentException("voting members must be >= 0, got " + votingMembers);
        }
        return votingMembers == 0 ? 0 : votingMembers / 2 + 1;
    }

    /** Voters that may fail while the rest still form a quorum; 0 for an empty set. */
    public static int faultTolerance(int votingMembers) {
        return votingMembers - quorumOf(votingMembers);
    }

    /** At least one voter and enough healthy ones to commit. */
    public static boolean isQuorate(int healthyVoters, int votingMembers) {
        return votingMembers >= 1 && healthyVoters >= quorumOf(votingMembers);
    }

    public static boolean isSafeAfter(MembershipChange change, EtcdView etcd) {
        return check(change, etcd).isSafe();
    }

    public static QuorumCheck check(MembershipChange change, EtcdView etcd) {
        int voters = etcd.votingCount();
        int healthy = etcd.healthyVotingCount();
        if (voters == 0) {
            return unsafe("etcd has no voting members; a cluster starts by bootstrap, not by a membership change");
        }
        if (!isQuorate(healthy, voters)) {
            return unsafe("only " + healthy + " of " + voters + " voting members are healthy, quorum needs "
                    + quorumOf(voters) + "; no membership change can commit");
        }
        if (change instanceof AddLearner) {
            return SAFE;
        }
        if (change instanceof PromoteLearner promote) {
            return checkPromote(promote.memberId(), etcd, voters, healthy);
        }
        if (change instanceof RemoveMember remove) {
            return checkRemove(remove.memberId(), etcd, voters, healthy);
        }
        throw new IllegalStateException("unknown membership change " + change);
    }

    private static QuorumCheck checkPromote(long id, EtcdView etcd, int voters, int healthy) {
        Optional<MemberView> found = etcd.member(id);
        if (found.isEmpty()) {
            return unsafe("member " + Long.toHexString(id) + " is not in the cluster");
        }
        MemberView learner = found.get();
        if (!learner.learner()) {
            return unsafe("member " + learner.describe() + " is already a voter");
        }
        if (!learner.healthy()) {
            return unsafe("learner " + learner.describe() + " is not in sync yet");
        }
        int target = voters + 1;
        int healthyAfter = healthy + 1;
        if (healthyAfter < quorumOf(target)) {
            return unsafe("promoting learner " + learner.describe() + " would give " + healthyAfter
                    + " healthy voters of " + target + ", quorum needs " + quorumOf(target));
        }
        return SAFE;
    }

    private static QuorumCheck checkRemove(long id, EtcdView etcd, int voters, int healthy) {
        Optional<MemberView> found = etcd.member(id);
        if (found.isEmpty()) {
            return unsafe("member " + Long.toHexString(id) + " is not in the cluster");
        }
        MemberView member = found.get();
        if (member.learner()) {
            return SAFE;
        }
        int target = voters - 1;
        int healthyAfter = member.healthy() ? healthy - 1 : healthy;
        if (target == 0) {
            return unsafe("removing member " + member.describe() + " would leave no voting members");
        }
        if (healthyAfter < quorumOf(target)) {
            return unsafe("removing member " + member.describe() + " would leave " + healthyAfter + " healthy voter"
                    + (healthyAfter == 1 ? "" : "s") + " of " + target + ", quorum needs " + quorumOf(target));
        }
        return SAFE;
    }

    private static QuorumCheck unsafe(String reason) {
        return new QuorumCheck.Unsafe(reason);
    }
}
