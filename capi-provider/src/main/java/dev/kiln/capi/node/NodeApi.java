package dev.kiln.capi.node;

import dev.kiln.machinery.client.EtcdSnapshotResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * What the operator asks of one node's machine API. The real implementation is the gRPC client from machinery;
 * reconciler unit tests use an in-memory double, and the end-to-end tests use real node-init processes.
 */
public interface NodeApi extends AutoCloseable {

    /**
     * A node's answer to "who are you": configured mode means mutual TLS works, maintenance means it does not yet.
     * {@code tag} is the version installed in the active slot, {@code running} the node-init build that answered;
     * {@code trial} while an upgraded slot awaits confirmation; {@code lastRollback} is "rolled back from X to Y: why".
     */
    record NodeVersion(String tag, boolean maintenance, String running, boolean trial, Optional<String> lastRollback) {

        public NodeVersion(String tag, boolean maintenance) {
            this(tag, maintenance, tag, false, Optional.empty());
        }
    }

    record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    }

    record MemberList(long clusterId, List<Member> members) {
    }

    /** A member's own status; raft indexes are 0 where the node does not report them. */
    record EtcdHealth(long clusterId, long memberId, long leaderId, boolean learner, List<String> errors,
            long raftIndex, long raftAppliedIndex) {

        public EtcdHealth(long clusterId, long memberId, long leaderId, boolean learner, List<String> errors) {
            this(clusterId, memberId, leaderId, learner, errors, 0, 0);
        }

        public boolean healthy() {
            return leaderId != 0 && errors.isEmpty();
        }
    }

    NodeVersion version();

    /** In maintenance mode only: the node stores the config, installs and reboots into configured mode. */
    void applyConfiguration(byte[] config);

    default void bootstrap() {
        bootstrap(false);
    }

    /** With {@code recoverEtcd}, from the snapshot uploaded by {@link #etcdRecover} rather than an empty etcd. */
    void bootstrap(boolean recoverEtcd);

    /** Uploads a snapshot that a later {@code bootstrap(true)} restores; it waits on the node's EPHEMERAL until then. */
    void etcdRecover(InputStream snapshot);

    MemberList members();

    EtcdHealth etcdStatus();

    void removeMember(long memberId);

    void leaveEtcd();

    /** Returns the member that leads afterwards, or an empty string when this node did not lead. */
    String forfeitLeadership();

    /**
     * Streams a consistent snapshot of the node's etcd into {@code out}; returns the bytes written and the etcd
     * revision the snapshot holds when the node reports it.
     */
    EtcdSnapshotResult etcdSnapshot(OutputStream out);

    /**
     * Installs the node-init release {@code imageRef} ({@code URL@sha256:<64 hex>}) into the inactive slot and, unless
     * {@code stage}, reboots into it on trial; returns the node's acknowledgement. A release that fails its download,
     * digest or archive checks is refused (REFUSED) with nothing changed. Kiln keeps etcd data with or without
     * {@code preserve}. Watch {@link #version()} for the outcome: running the new version with {@code trial} false, or a
     * new {@code lastRollback}.
     */
    String upgrade(String imageRef, boolean stage, boolean preserve);

    /** Boots the other installed slot (REFUSED when there is none) and reboots into it. */
    void rollback();

    /** Graceful: leaves etcd first. The node wipes STATE and EPHEMERAL and boots back into maintenance. */
    void reset(boolean graceful);

    @Override
    void close();
}
