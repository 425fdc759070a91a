package dev.kiln.capi.controlplane;

import dev.kiln.capi.node.NodeApi;
import dev.kiln.capi.node.NodeConnector;
import dev.kiln.capi.node.NodeCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Passes machine API calls through and notes, for each forfeitLeadership call, what {@code probe} said then. */
final class ForfeitWitness implements NodeConnector {

    record Forfeit(String address, boolean machineStillLive) {
    }

    private final NodeConnector delegate;
    private final Predicate<String> machineLiveAtAddress;
    private final List<Forfeit> forfeits = new ArrayList<>();

    ForfeitWitness(NodeConnector delegate, Predicate<String> machineLiveAtAddress) {
        this.delegate = delegate;
        this.machineLiveAtAddress = machineLiveAtAddress;
    }

    synchronized List<Forfeit> forfeits() {
        return List.copyOf(forfeits);
    }

    @Override
    public NodeApi connect(String address, NodeCredentials credentials) {
        NodeApi api = delegate.connect(address, credentials);
        return new NodeApi() {
            @Override
            public NodeVersion version() {
                return api.version();
            }

            @Override
            public void applyConfiguration(byte[] config) {
                api.applyConfiguration(config);
            }

            @Override
            public void bootstrap(boolean recoverEtcd) {
                api.bootstrap(recoverEtcd);
            }

            @Override
            public void etcdRecover(java.io.InputStream snapshot) {
                api.etcdRecover(snapshot);
            }

            @Override
            public MemberList members() {
                return api.members();
            }

            @Override
            public EtcdHealth etcdStatus() {
                return api.etcdStatus();
            }

            @Override
            public void removeMember(long memberId) {
                api.removeMember(memberId);
            }

            @Override
            public void leaveEtcd() {
                api.leaveEtcd();
            }

            @Override
            public String forfeitLeadership() {
                boolean live = machineLiveAtAddress.test(address);
                synchronized (ForfeitWitness.this) {
                    forfeits.add(new Forfeit(address, live));
                }
                return api.forfeitLeadership();
            }

            @Override
            public dev.kiln.machinery.client.EtcdSnapshotResult etcdSnapshot(java.io.OutputStream out) {
                return api.etcdSnapshot(out);
            }

            @Override
            public String upgrade(String imageRef, boolean stage, boolean preserve) {
                return api.upgrade(imageRef, stage, preserve);
            }

            @Override
            public void rollback() {
                api.rollback();
            }

            @Override
            public void reset(boolean graceful) {
                api.reset(graceful);
            }

            @Override
            public void close() {
                api.close();
            }
        };
    }
}
