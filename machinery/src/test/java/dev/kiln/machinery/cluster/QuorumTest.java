package dev.kiln.machinery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.machinery.cluster.MembershipChange.AddLearner;
import dev.kiln.machinery.cluster.MembershipChange.PromoteLearner;
import dev.kiln.machinery.cluster.MembershipChange.RemoveMember;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumTest {

    @Test
    void quorumIsAStrictMajority() {
        int[] expected = {0, 1, 2, 2, 3, 3, 4, 4, 5};
        for (int n = 0; n < expected.length; n++) {
            assertEquals(expected[n], Quorum.quorumOf(n), "quorumOf(" + n + ")");
        }
    }

    @Test
    void faultToleranceOfEvenCountsEqualsTheOddCountBelow() {
        int[] expected = {0, 0, 0, 1, 1, 2, 2, 3};
        for (int n = 0; n < expected.length; n++) {
            assertEquals(expected[n], Quorum.faultTolerance(n), "faultTolerance(" + n + ")");
        }
    }

    @Test
    void negativeVotingCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Quorum.quorumOf(-1));
    }

    @Test
    void anEmptyClusterAcceptsNoChange() {
        QuorumCheck check = Quorum.check(new AddLearner("a"), EtcdView.empty());
        assertTrue(reason(check).contains("bootstrap"), reason(check));
    }

    @Test
    void addingALearnerNeedsTheCurrentVotersQuorate() {
        EtcdView twoOfThree = view(voter(1, true), voter(2, true), voter(3, false));
        EtcdView oneOfThree = view(voter(1, true), voter(2, false), voter(3, false));
        assertTrue(Quorum.isSafeAfter(new AddLearner("d"), twoOfThree));
        assertEquals("only 1 of 3 voting members are healthy, quorum needs 2; no membership change can commit",
                reason(Quorum.check(new AddLearner("d"), oneOfThree)));
    }

    @Test
    void promotingNeedsAnInSyncLearner() {
        EtcdView syncing = view(voter(1, true), voter(2, true), voter(3, true),
                new MemberView(4, "d", true, false));
        assertEquals("learner d (4) is not in sync yet", reason(Quorum.check(new PromoteLearner(4), syncing)));
        EtcdView synced = view(voter(1, true), voter(2, true), voter(3, true), MemberView.learner(4, "d"));
        assertTrue(Quorum.isSafeAfter(new PromoteLearner(4), synced));
        assertFalse(Quorum.isSafeAfter(new PromoteLearner(1), synced), "a voter cannot be promoted");
        assertFalse(Quorum.isSafeAfter(new PromoteLearner(9), synced), "unknown member");
    }

    @Test
    void removingAHealthyVoterNamesTheNumbers() {
        EtcdView view = view(voter(1, true), voter(2, true), voter(3, false));
        assertEquals("removing member m1 (1) would leave 1 healthy voter of 2, quorum needs 2",
                reason(Quorum.check(new RemoveMember(1), view)));
        assertTrue(Quorum.isSafeAfter(new RemoveMember(3), view), "removing the dead one leaves 2 of 2");
    }

    @Test
    void theLastVoterIsNeverRemoved() {
        assertEquals("removing member m1 (1) would leave no voting members",
                reason(Quorum.check(new RemoveMember(1), view(voter(1, true)))));
    }

    @Test
    void removingALearnerLeavesTheVotingSetAlone() {
        EtcdView view = view(voter(1, true), new MemberView(2, "m2", true, false));
        assertTrue(Quorum.isSafeAfter(new RemoveMember(2), view));
    }

    /** Every voting set of up to 7 with every health mix and a learner or not, against the formula. */
    @Test
    void everySmallViewAgreesWithTheFormula() {
        int checked = 0;
        for (int voters = 0; voters <= 7; voters++) {
            for (int healthy = 0; healthy <= voters; healthy++) {
                for (int learnerState = 0; learnerState < 3; learnerState++) {
                    List<MemberView> members = new ArrayList<>();
                    for (int i = 0; i < voters; i++) {
                        members.add(voter(i + 1, i < healthy));
                    }
                    if (learnerState > 0) {
                        members.add(new MemberView(100, "l", true, learnerState == 1));
                    }
                    EtcdView view = new EtcdView(members);
                    boolean quorate = voters > 0 && healthy >= voters / 2 + 1;
                    assertEquals(quorate, Quorum.isSafeAfter(new AddLearner("x"), view));
                    if (learnerState > 0) {
                        boolean learnerHealthy = learnerState == 1;
                        assertEquals(quorate && learnerHealthy && healthy + 1 >= (voters + 1) / 2 + 1,
                                Quorum.isSafeAfter(new PromoteLearner(100), view));
                        assertEquals(quorate, Quorum.isSafeAfter(new RemoveMember(100), view));
                    }
                    for (MemberView m : members) {
                        if (m.learner()) {
                            continue;
                        }
                        int target = voters - 1;
                        int after = healthy - (m.healthy() ? 1 : 0);
                        assertEquals(quorate && target >= 1 && after >= target / 2 + 1,
                                Quorum.isSafeAfter(new RemoveMember(m.id()), view),
                                "remove " + m + " from " + members);
                        checked++;
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 100);
    }

    private static MemberView voter(long id, boolean healthy) {
        return new MemberView(id, "m" + id, false, healthy);
    }

    private static EtcdView view(MemberView... members) {
        return EtcdView.of(members);
    }

    private static String reason(QuorumCheck check) {
        assertTrue(check instanceof QuorumCheck.Unsafe, "expected unsafe, got " + check);
        return ((QuorumCheck.Unsafe) check).reason();
    }
}
