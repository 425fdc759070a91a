package dev.kiln.capi.node;

import java.io.OutputStream;
import java.util.List;

/**
 * What the operator asks of one node's machine API. The real implementation is the gRPC client from machinery;
 * reconciler unit tests use an in-memory double, and the end-to-end tests use real node-init processes.
 */
public interface NodeApi extends AutoCloseable {

    /** A node's answer to "who are you": configured mode means mutual TLS works, maintenance means it does not yet. */
    record NodeVersion(String tag, boolean maintenance) {
    }

    record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    }

    record MemberList(long clusterId, List<Member> members) {
    }

    record EtcdHealth(long clusterId, long memberId, long leaderId, boolean learner, List<String> errors) {

        public boolean healthy() {
            return leaderId != 0 && errors.isEmpty();
        }
    }

    NodeVersion version();

    /** In maintenance mode only: the node stores the config, installs and reboots into configured mode. */
    void applyConfiguration(byte[] config);

    void bootstrap();

    MemberList members();

    EtcdHealth etcdStatus();

    void removeMember(long memberId);

    void leaveEtcd();

    /** Returns the member that leads afterwards, or an empty string when this node did not lead. */
    String forfeitLeadership();

    /** Streams a consistent snapshot of the node's etcd into {@code out}; returns the bytes written. */
    long etcdSnapshot(OutputStream out);

    /** Graceful: leaves etcd first. The node wipes STATE and EPHEMERAL and boots back into maintenance. */
    void reset(boolean graceful);

    @Override
    void close();
}
