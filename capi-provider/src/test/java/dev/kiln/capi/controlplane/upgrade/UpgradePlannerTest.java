package dev.kiln.capi.controlplane.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.InProgress;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.MachineFacts;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.Member;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.NodeReport;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.Target;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Done;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.ForfeitLeadership;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Halt;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Upgrade;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpgradePlannerTest {

    private static final String V1 = "v0.1.0";
    private static final String V2 = "v0.2.0";
    private static final String IMAGE = "https://releases.example/node-init-v0.2.0.zip@sha256:" + "a".repeat(64);
    private static final String OTHER_IMAGE = "https://releases.example/node-init-v0.2.0-fixed.zip@sha256:"
            + "b".repeat(64);
    private static final Instant NOW = Instant.parse("2026-12-05T03:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    /** Three machines cp-a, cp-b, cp-c, all healthy voters, cp-a leading, each running what is given. */
    private static final class World {
        final List<MachineFacts> machines = new ArrayList<>();
        final List<Member> members = new ArrayList<>();
        Target target = new Target(V2, Optional.of(IMAGE));

        World running(String a, String b, String c) {
            machine("cp-a", a, true);
            machine("cp-b", b, false);
            machine("cp-c", c, false);
            return this;
        }

        World machine(String name, String version, boolean leader) {
            machines.add(new MachineFacts(name, Optional.of(new NodeReport(version, false, Optional.empty())),
                    Optional.empty()));
            members.add(new Member(name, true, true, leader));
            return this;
        }

        World replace(String name, MachineFacts machine) {
            machines.replaceAll(m -> m.name().equals(name) ? machine : m);
            return this;
        }

        World member(String name, boolean voter, boolean healthy, boolean leader) {
            members.replaceAll(m -> m.name().equals(name) ? new Member(name, voter, healthy, leader) : m);
            return this;
        }

        World raft(String name, long raftIndex, long appliedIndex) {
            members.replaceAll(m -> m.name().equals(name)
                    ? new Member(name, m.voter(), m.healthy(), m.leader(), raftIndex, appliedIndex) : m);
            return this;
        }

        World leader(String name) {
            members.replaceAll(m -> new Member(m.name(), m.voter(), m.healthy(), m.name().equals(name)));
            return this;
        }

        UpgradeStep decide() {
            return UpgradePlanner.decide(new UpgradeFacts(target, machines, members, NOW, TIMEOUT));
        }
    }

    private static MachineFacts upgrading(String name, NodeReport node, Duration ago) {
        return new MachineFacts(name, Optional.of(node), Optional.of(record(V2, IMAGE, ago, Optional.empty())));
    }

    private static InProgress record(String target, String image, Duration ago, Optional<String> refused) {
        return new InProgress(target, image, NOW.minus(ago), Optional.empty(), refused);
    }

    private static NodeReport node(String running, boolean trial) {
        return new NodeReport(running, trial, Optional.empty());
    }

    private static NodeReport rolledBack() {
        return new NodeReport(V1, false, Optional.of("rolled back from v0.2.0 to v0.1.0: trial boots exhausted"));
    }

    @Test
    void allMachinesOnTheTargetWithHealthyVotersIsDone() {
        assertInstanceOf(Done.class, new World().running(V2, V2, V2).decide());
    }

    @Test
    void allOnTheTargetButAnUnhealthyMemberWaits() {
        Wait wait = assertInstanceOf(Wait.class, new World().running(V2, V2, V2).member("cp-c", true, false, false)
                .decide());
        assertTrue(wait.reason().contains("cp-c's etcd member is not healthy"), wait.reason());
    }

    @Test
    void anUpgradedMemberThatHasNotCaughtUpWithTheLeaderIsWaitedForBeforeTheNextMachine() {
        World world = new World().running(V1, V2, V1).raft("cp-a", 50_000, 50_000)
                .raft("cp-b", 50_000, 50_000 - UpgradePlanner.MAX_APPLY_LAG - 1).raft("cp-c", 50_000, 50_000);
        Wait wait = assertInstanceOf(Wait.class, world.decide());
        assertTrue(wait.reason().contains("cp-b's etcd member has not caught up: applied 48999 of the leader's 50000"),
                wait.reason());
    }

    @Test
    void aMemberWithinTheApplyLagOfTheLeaderCountsAsCaughtUp() {
        World world = new World().running(V1, V2, V1).raft("cp-a", 50_000, 50_000)
                .raft("cp-b", 50_000, 50_000 - UpgradePlanner.MAX_APPLY_LAG).raft("cp-c", 50_000, 50_000);
        assertEquals(new Upgrade("cp-c", IMAGE), world.decide());
    }

    @Test
    void aFollowerIsUpgradedBeforeTheLeader() {
        assertEquals(new Upgrade("cp-b", IMAGE), new World().running(V1, V1, V1).decide());
    }

    @Test
    void followersAreTakenInNameOrder() {
        assertEquals(new Upgrade("cp-c", IMAGE), new World().running(V1, V2, V1).decide());
    }

    @Test
    void theLeaderForfeitsLeadershipWhenItIsTheLastOutdated() {
        assertEquals(new ForfeitLeadership("cp-a"), new World().running(V1, V2, V2).decide());
    }

    @Test
    void aFormerLeaderIsUpgradedOnceLeadershipMoved() {
        assertEquals(new Upgrade("cp-a", IMAGE), new World().running(V1, V2, V2).leader("cp-b").decide());
    }

    @Test
    void aSingleMachineIsUpgradedWithoutForfeiting() {
        World world = new World().machine("cp-a", V1, true);
        assertEquals(new Upgrade("cp-a", IMAGE), world.decide());
    }

    @Test
    void aMachineMidUpgradeIsWaitedFor() {
        World world = new World().running(V1, V1, V1).replace("cp-b", upgrading("cp-b", node(V1, false),
                Duration.ofSeconds(20)));
        Wait wait = assertInstanceOf(Wait.class, world.decide());
        assertTrue(wait.reason().startsWith("cp-b is upgrading to v0.2.0"), wait.reason());
    }

    @Test
    void aMachineOnTrialIsWaitedFor() {
        World world = new World().running(V1, V1, V1).replace("cp-b", upgrading("cp-b", node(V2, true),
                Duration.ofSeconds(20)));
        assertInstanceOf(Wait.class, world.decide());
    }

    @Test
    void aNodeOnTrialWithoutARecordIsWaitedFor() {
        World world = new World().running(V1, V1, V1).replace("cp-c", new MachineFacts("cp-c",
                Optional.of(node(V2, true)), Optional.empty()));
        Wait wait = assertInstanceOf(Wait.class, world.decide());
        assertTrue(wait.reason().contains("cp-c runs v0.2.0 on trial"), wait.reason());
    }

    @Test
    void anUpgradedMachineWhoseMemberIsNotHealthyYetHoldsBackTheNext() {
        World world = new World().running(V1, V1, V1)
                .replace("cp-b", upgrading("cp-b", node(V2, false), Duration.ofSeconds(40)))
                .member("cp-b", true, false, false);
        Wait wait = assertInstanceOf(Wait.class, world.decide());
        assertTrue(wait.reason().contains("cp-b's etcd member is not healthy"), wait.reason());
    }

    @Test
    void theNextMachineFollowsOnceTheUpgradedOneIsHealthy() {
        World world = new World().running(V1, V1, V1)
                .replace("cp-b", upgrading("cp-b", node(V2, false), Duration.ofSeconds(40)));
        assertEquals(new Upgrade("cp-c", IMAGE), world.decide());
    }

    @Test
    void aRollbackHaltsNamingTheMachineAndTheNodesReason() {
        World world = new World().running(V1, V1, V1)
                .replace("cp-b", upgrading("cp-b", rolledBack(), Duration.ofSeconds(40)));
        Halt halt = assertInstanceOf(Halt.class, world.decide());
        assertEquals("cp-b", halt.machine());
        assertTrue(halt.reason().contains("trial boots exhausted"), halt.reason());
    }

    @Test
    void aRollbackSeenBeforeTheUpgradeDoesNotHalt() {
        NodeReport old = rolledBack();
        MachineFacts machine = new MachineFacts("cp-b", Optional.of(old), Optional.of(new InProgress(V2, IMAGE,
                NOW.minusSeconds(10), old.lastRollback(), Optional.empty())));
        assertInstanceOf(Wait.class, new World().running(V1, V1, V1).replace("cp-b", machine).decide());
    }

    @Test
    void aRefusedUpgradeHalts() {
        MachineFacts machine = new MachineFacts("cp-b", Optional.of(node(V1, false)), Optional.of(record(V2, IMAGE,
                Duration.ofSeconds(1), Optional.of("digest mismatch"))));
        Halt halt = assertInstanceOf(Halt.class, new World().running(V1, V1, V1).replace("cp-b", machine).decide());
        assertTrue(halt.reason().contains("refused") && halt.reason().contains("digest mismatch"), halt.reason());
    }

    @Test
    void aNodeNotBackWithinTheTimeoutHalts() {
        MachineFacts machine = new MachineFacts("cp-b", Optional.empty(), Optional.of(record(V2, IMAGE,
                TIMEOUT.plusSeconds(1), Optional.empty())));
        Halt halt = assertInstanceOf(Halt.class, new World().running(V1, V1, V1).replace("cp-b", machine).decide());
        assertTrue(halt.reason().contains("does not answer"), halt.reason());
    }

    @Test
    void aNodeStillOnTrialAfterTheTimeoutHalts() {
        World world = new World().running(V1, V1, V1)
                .replace("cp-b", upgrading("cp-b", node(V2, true), TIMEOUT.plusSeconds(1)));
        assertInstanceOf(Halt.class, world.decide());
    }

    @Test
    void aNodeNotAnsweringWithinTheTimeoutIsWaitedFor() {
        MachineFacts machine = new MachineFacts("cp-b", Optional.empty(), Optional.of(record(V2, IMAGE,
                Duration.ofSeconds(30), Optional.empty())));
        assertInstanceOf(Wait.class, new World().running(V1, V1, V1).replace("cp-b", machine).decide());
    }

    @Test
    void aHaltStaysWhileOtherMachinesAreHealthyAndOutdated() {
        World world = new World().running(V1, V1, V1)
                .replace("cp-b", upgrading("cp-b", rolledBack(), Duration.ofMinutes(30)));
        assertEquals("cp-b", assertInstanceOf(Halt.class, world.decide()).machine());
    }

    @Test
    void aNewVersionResumesAfterAHalt() {
        World world = new World().running(V1, V1, V1)
                .replace("cp-b", upgrading("cp-b", rolledBack(), Duration.ofMinutes(1)));
        world.target = new Target("v0.3.0", Optional.of(IMAGE));
        assertEquals(new Upgrade("cp-b", IMAGE), world.decide());
    }

    @Test
    void aNewImageForTheSameVersionResumesAfterAHalt() {
        World world = new World().running(V1, V1, V1)
                .replace("cp-b", upgrading("cp-b", rolledBack(), Duration.ofMinutes(1)));
        world.target = new Target(V2, Optional.of(OTHER_IMAGE));
        assertEquals(new Upgrade("cp-b", OTHER_IMAGE), world.decide());
    }

    @Test
    void aLearnerBlocksTheNextUpgrade() {
        Wait wait = assertInstanceOf(Wait.class, new World().running(V1, V1, V1).member("cp-c", false, true, false)
                .decide());
        assertTrue(wait.reason().contains("cp-c is a learner"), wait.reason());
    }

    @Test
    void anUnhealthyMemberBlocksTheNextUpgrade() {
        assertInstanceOf(Wait.class, new World().running(V1, V1, V1).member("cp-c", true, false, false).decide());
    }

    @Test
    void aMachineWithoutAMemberBlocksTheNextUpgrade() {
        World world = new World().running(V1, V1, V1);
        world.members.removeIf(m -> m.name().equals("cp-c"));
        Wait wait = assertInstanceOf(Wait.class, world.decide());
        assertTrue(wait.reason().contains("cp-c has no etcd member"), wait.reason());
    }

    @Test
    void noKnownLeaderBlocksTheNextUpgrade() {
        Wait wait = assertInstanceOf(Wait.class, new World().running(V1, V1, V1).leader("none").decide());
        assertTrue(wait.reason().contains("no etcd member reports a leader"), wait.reason());
    }

    @Test
    void twoVotersLoseQuorumWithOneDownSoNothingIsUpgraded() {
        World world = new World().machine("cp-a", V1, true).machine("cp-b", V1, false);
        Wait wait = assertInstanceOf(Wait.class, world.decide());
        assertTrue(wait.reason().contains("fewer than the quorum of 2"), wait.reason());
    }

    @Test
    void aNodeWhoseVersionCannotBeReadBlocksTheNextUpgrade() {
        World world = new World().running(V1, V1, V1).replace("cp-c", new MachineFacts("cp-c", Optional.empty(),
                Optional.empty()));
        Wait wait = assertInstanceOf(Wait.class, world.decide());
        assertTrue(wait.reason().contains("cannot read the node-init version of cp-c"), wait.reason());
    }

    @Test
    void withoutAReleaseImageTheVersionIsNotManaged() {
        World world = new World().running(V1, V1, V1);
        world.target = new Target(V2, Optional.empty());
        Done done = assertInstanceOf(Done.class, world.decide());
        assertTrue(done.message().contains("spec.releaseImage is not set"), done.message());
    }

    @Test
    void withoutAReleaseImageANodeOnTrialIsStillWaitedFor() {
        World world = new World().running(V1, V1, V1).replace("cp-c", new MachineFacts("cp-c",
                Optional.of(node(V2, true)), Optional.empty()));
        world.target = new Target(V2, Optional.empty());
        assertInstanceOf(Wait.class, world.decide());
    }

    @Test
    void aStaleRecordForAnEarlierTargetIsNotAnUpgradeInProgress() {
        MachineFacts machine = new MachineFacts("cp-b", Optional.of(node(V1, false)), Optional.of(record("v0.1.5",
                IMAGE, Duration.ofHours(2), Optional.empty())));
        assertEquals(new Upgrade("cp-b", IMAGE), new World().running(V1, V1, V1).replace("cp-b", machine).decide());
    }
}
