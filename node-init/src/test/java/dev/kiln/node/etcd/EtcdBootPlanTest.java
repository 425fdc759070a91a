package dev.kiln.node.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.node.etcd.EtcdBootPlan.Identity;
import dev.kiln.node.etcd.EtcdMembershipRecord.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EtcdBootPlanTest {

    private static final long MEMBER = 0x2627c6bb9ff5e97L;
    private static final long CLUSTER = 0xabcdef0123L;
    private static final EtcdDataDir NOTHING = new EtcdDataDir(false, false);
    private static final EtcdDataDir MEMBER_DIR_WITHOUT_WAL = new EtcdDataDir(true, false);
    private static final EtcdDataDir WAL = new EtcdDataDir(true, true);

    private static Optional<EtcdMembershipRecord> record(Origin origin) {
        return Optional.of(new EtcdMembershipRecord(origin, MEMBER, CLUSTER, 0, "https://127.0.0.4:2380"));
    }

    @Test
    void aJoinWhoseEtcdNeverWroteAWalIsRolledBackByTheRecordedLearnerId() {
        for (Origin origin : List.of(Origin.JOINING, Origin.ETCD_STARTED)) {
            for (EtcdDataDir data : List.of(NOTHING, MEMBER_DIR_WITHOUT_WAL)) {
                assertEquals(new EtcdBootPlan.RollBackJoin(MEMBER, CLUSTER),
                        EtcdBootPlan.decide(record(origin), data), origin + " " + data);
            }
        }
    }

    @Test
    void aJoinWithAWalResumesCheckedAgainstTheRecordAndFinishesPromotion() {
        for (Origin origin : List.of(Origin.JOINING, Origin.ETCD_STARTED)) {
            assertEquals(new EtcdBootPlan.Resume(Optional.of(new Identity(CLUSTER, MEMBER)), true, origin),
                    EtcdBootPlan.decide(record(origin), WAL));
        }
    }

    @Test
    void aLearnerAddWhoseAnswerWasLostIsRetractedByPeerUrl() {
        for (EtcdDataDir data : List.of(NOTHING, MEMBER_DIR_WITHOUT_WAL, WAL)) {
            assertEquals(new EtcdBootPlan.RetractLearnerAdd("https://127.0.0.4:2380"),
                    EtcdBootPlan.decide(record(Origin.LEARNER_ADD_INTENDED), data));
        }
    }

    @Test
    void aVoterResumesOnItsWalCheckedAgainstTheRecord() {
        for (Origin origin : List.of(Origin.BOOTSTRAPPED, Origin.JOINED)) {
            assertEquals(new EtcdBootPlan.Resume(Optional.of(new Identity(CLUSTER, MEMBER)), false, origin),
                    EtcdBootPlan.decide(record(origin), WAL));
        }
    }

    @Test
    void aVoterWithoutItsWalStaysStoppedInsteadOfFoundingANewCluster() {
        for (Origin origin : List.of(Origin.BOOTSTRAPPED, Origin.JOINED)) {
            for (EtcdDataDir data : List.of(NOTHING, MEMBER_DIR_WITHOUT_WAL)) {
                assertEquals(new EtcdBootPlan.DataLost(MEMBER, CLUSTER), EtcdBootPlan.decide(record(origin), data));
            }
        }
    }

    @Test
    void aBootstrapKilledBeforeItsWalIsForgottenAndAfterItResumesAndRecordsItsIds() {
        assertEquals(new EtcdBootPlan.AwaitCluster(true, true),
                EtcdBootPlan.decide(record(Origin.BOOTSTRAPPING), MEMBER_DIR_WITHOUT_WAL));
        assertEquals(new EtcdBootPlan.AwaitCluster(true, true), EtcdBootPlan.decide(record(Origin.BOOTSTRAPPING), NOTHING));
        assertEquals(new EtcdBootPlan.Resume(Optional.empty(), false, Origin.BOOTSTRAPPED),
                EtcdBootPlan.decide(record(Origin.BOOTSTRAPPING), WAL));
    }

    @Test
    void removedAndLeftStayWhateverTheDataDirectoryHolds() {
        for (EtcdDataDir data : List.of(NOTHING, MEMBER_DIR_WITHOUT_WAL, WAL)) {
            assertEquals(new EtcdBootPlan.StayRemoved(CLUSTER), EtcdBootPlan.decide(record(Origin.REMOVED), data));
            assertEquals(new EtcdBootPlan.StayLeft(), EtcdBootPlan.decide(record(Origin.LEFT), data));
        }
    }

    @Test
    void withoutARecordOnlyAWalResumesAndAPartialMemberDirectoryIsWiped() {
        assertEquals(new EtcdBootPlan.AwaitCluster(false, false), EtcdBootPlan.decide(Optional.empty(), NOTHING));
        assertEquals(new EtcdBootPlan.AwaitCluster(true, false),
                EtcdBootPlan.decide(Optional.empty(), MEMBER_DIR_WITHOUT_WAL));
        assertEquals(new EtcdBootPlan.Resume(Optional.empty(), false, Origin.BOOTSTRAPPED),
                EtcdBootPlan.decide(Optional.empty(), WAL));
    }

    /** Every record and data combination: etcd is only ever started on a WAL, never on an empty directory. */
    @Test
    void noCombinationStartsEtcdWithoutAWal() {
        List<Optional<EtcdMembershipRecord>> records = new ArrayList<>();
        records.add(Optional.empty());
        for (Origin origin : Origin.values()) {
            records.add(record(origin));
        }
        for (Optional<EtcdMembershipRecord> r : records) {
            for (EtcdDataDir data : List.of(NOTHING, MEMBER_DIR_WITHOUT_WAL, WAL)) {
                EtcdBootPlan plan = EtcdBootPlan.decide(r, data);
                if (plan instanceof EtcdBootPlan.Resume) {
                    assertTrue(data.wal(), r + " " + data + " -> " + plan);
                }
                if (!data.wal()) {
                    assertFalse(plan instanceof EtcdBootPlan.Resume, r + " " + data + " -> " + plan);
                }
            }
        }
    }

    @Test
    void theRecordKeepsEveryJoinStepAcrossSaveAndLoad(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        for (Origin origin : Origin.values()) {
            EtcdMembershipRecord saved = record(origin).orElseThrow();
            saved.save(dir.resolve("etcd-membership.properties"));
            assertEquals(saved, EtcdMembershipRecord.load(dir.resolve("etcd-membership.properties")).orElseThrow());
        }
        assertInstanceOf(EtcdBootPlan.class, EtcdBootPlan.decide(Optional.empty(), NOTHING));
    }
}
