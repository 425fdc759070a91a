package dev.kiln.node.etcd;

import dev.kiln.node.etcd.EtcdMembershipRecord.Origin;
import java.util.Optional;

/**
 * What this node does with etcd at boot, decided from the membership record and the data directory alone. Only a
 * data directory with a WAL lets etcd start on its own data; nothing here ever starts a new cluster.
 */
public sealed interface EtcdBootPlan {

    /** The IDs a started etcd must answer with. */
    record Identity(long clusterId, long memberId) {
    }

    /** No member here: wait for a bootstrap or join a cluster a peer serves. */
    record AwaitCluster(boolean wipeFirst, boolean forgetRecord) implements EtcdBootPlan {
    }

    /**
     * etcd's own data decides. {@code expected} is empty only for data whose IDs were never recorded (a bootstrap
     * killed after etcd wrote its WAL), which are recorded once etcd answers.
     */
    record Resume(Optional<Identity> expected, boolean promotionPending, Origin recordAs) implements EtcdBootPlan {
    }

    /** A join whose etcd never wrote a WAL: remove the learner by its recorded ID, wipe, join again. */
    record RollBackJoin(long learnerId, long clusterId) implements EtcdBootPlan {
    }

    /** A learner add whose answer was lost: remove any unstarted member with this node's peer URL, wipe, join again. */
    record RetractLearnerAdd(String peerUrl) implements EtcdBootPlan {
    }

    /** A voter's data is gone: starting etcd could only found a new cluster, so the node waits for a reset. */
    record DataLost(long memberId, long clusterId) implements EtcdBootPlan {
    }

    record StayLeft() implements EtcdBootPlan {
    }

    record StayRemoved(long clusterId) implements EtcdBootPlan {
    }

    static EtcdBootPlan decide(Optional<EtcdMembershipRecord> record, EtcdDataDir data) {
        if (record.isEmpty()) {
            if (data.wal()) {
                return new Resume(Optional.empty(), false, Origin.BOOTSTRAPPED);
            }
            return new AwaitCluster(data.memberDir(), false);
        }
        EtcdMembershipRecord r = record.get();
        Identity recorded = new Identity(r.clusterId(), r.memberId());
        return switch (r.origin()) {
            case BOOTSTRAPPING -> data.wal()
                    ? new Resume(Optional.empty(), false, Origin.BOOTSTRAPPED)
                    : new AwaitCluster(true, true);
            case BOOTSTRAPPED, JOINED -> data.wal()
                    ? new Resume(Optional.of(recorded), false, r.origin())
                    : new DataLost(r.memberId(), r.clusterId());
            case LEARNER_ADD_INTENDED -> new RetractLearnerAdd(r.peerUrl());
            case JOINING, ETCD_STARTED -> data.wal()
                    ? new Resume(Optional.of(recorded), true, r.origin())
                    : new RollBackJoin(r.memberId(), r.clusterId());
            case LEFT -> new StayLeft();
            case REMOVED -> new StayRemoved(r.clusterId());
        };
    }
}
