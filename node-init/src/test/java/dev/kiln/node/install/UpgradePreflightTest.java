package dev.kiln.node.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.install.UpgradePreflight.Member;
import dev.kiln.node.install.UpgradePreflight.NoEtcd;
import dev.kiln.node.install.UpgradePreflight.Proceed;
import dev.kiln.node.install.UpgradePreflight.Refuse;
import dev.kiln.node.install.UpgradePreflight.UnhealthyMember;
import dev.kiln.node.install.UpgradePreflight.Verdict;
import dev.kiln.node.install.UpgradePreflight.Voter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpgradePreflightTest {

    private static List<Voter> voters(int healthy, int unhealthy) {
        List<Voter> voters = new ArrayList<>();
        for (int i = 0; i < healthy; i++) {
            voters.add(Voter.healthy("up-" + i));
        }
        for (int i = 0; i < unhealthy; i++) {
            voters.add(Voter.unhealthy("down-" + i, "connection refused"));
        }
        return voters;
    }

    @Test
    void aWorkerProceedsWithoutNotes() {
        assertEquals(new Proceed(List.of()), UpgradePreflight.decide(new NoEtcd(), false));
    }

    @Test
    void anUnhealthyMemberIsRefusedNamingWhy() {
        Verdict verdict = UpgradePreflight.decide(new UnhealthyMember("etcd status: deadline exceeded"), false);
        assertTrue(assertInstanceOf(Refuse.class, verdict).reason().contains("deadline exceeded"));
    }

    @Test
    void aLearnerIsRefused() {
        Verdict verdict = UpgradePreflight.decide(new Member(true, voters(2, 0)), false);
        assertTrue(assertInstanceOf(Refuse.class, verdict).reason().contains("learner"));
    }

    @Test
    void theOnlyMemberProceedsSayingEtcdIsUnavailableDuringTheReboot() {
        Verdict verdict = UpgradePreflight.decide(new Member(false, List.of()), false);
        assertTrue(assertInstanceOf(Proceed.class, verdict).notes().get(0).contains("unavailable"));
    }

    @Test
    void everyClusterSizeProceedsExactlyWhenTheOtherHealthyVotersMakeAQuorum() {
        for (int others = 1; others <= 6; others++) {
            int quorum = (others + 1) / 2 + 1;
            for (int healthy = 0; healthy <= others; healthy++) {
                Verdict verdict = UpgradePreflight.decide(new Member(false, voters(healthy, others - healthy)), false);
                String at = healthy + " of " + others + " other voters healthy";
                if (healthy >= quorum) {
                    assertEquals(new Proceed(List.of()), verdict, at);
                } else {
                    assertInstanceOf(Refuse.class, verdict, at);
                }
            }
        }
    }

    @Test
    void aQuorumRefusalNamesTheUnhealthyMembersAndTheCounts() {
        Refuse refuse = assertInstanceOf(Refuse.class, UpgradePreflight.decide(new Member(false, voters(1, 1)), false));
        assertTrue(refuse.reason().contains("1 of the other 2 voting members are healthy and 3 members need 2"),
                refuse.reason());
        assertTrue(refuse.reason().contains("down-0: connection refused"), refuse.reason());
    }

    @Test
    void forceTurnsEveryRefusalIntoANote() {
        List<UpgradePreflight.EtcdFacts> refused = List.of(new UnhealthyMember("no answer"),
                new Member(true, voters(2, 0)), new Member(false, voters(0, 2)));
        for (UpgradePreflight.EtcdFacts facts : refused) {
            Refuse strict = assertInstanceOf(Refuse.class, UpgradePreflight.decide(facts, false));
            Proceed forced = assertInstanceOf(Proceed.class, UpgradePreflight.decide(facts, true));
            assertEquals(List.of("forced past: " + strict.reason()), forced.notes());
        }
    }

    @Test
    void forceChangesNothingWhenNothingIsRefused() {
        Member healthy = new Member(false, voters(2, 0));
        assertEquals(UpgradePreflight.decide(healthy, false), UpgradePreflight.decide(healthy, true));
    }
}
