package dev.kiln.node.etcd;

import dev.kiln.node.NodeRefusal;
import java.util.Optional;

/** The node's own checks before it founds a cluster; the caller has already refused workers and configs without etcd. */
public final class BootstrapGuard {

    /** A control-plane peer that answered with a running etcd cluster. */
    public record ServingPeer(String peerUrl, long clusterId) {
    }

    private BootstrapGuard() {
    }

    public static Optional<NodeRefusal> check(EtcdPhase phase, boolean dataDirectoryEmpty,
            Optional<ServingPeer> servingPeer) {
        if (phase == EtcdPhase.PREPARING) {
            return refuse(NodeRefusal.Reason.NOT_READY, "etcd is not ready for bootstrap yet; try again shortly");
        }
        if (phase.holdsMember()) {
            return refuse(NodeRefusal.Reason.ALREADY_EXISTS,
                    "etcd member already " + (phase == EtcdPhase.JOINING ? "joining" : "exists") + " on this node");
        }
        if (!dataDirectoryEmpty) {
            return refuse(NodeRefusal.Reason.ALREADY_EXISTS, "etcd data directory is not empty");
        }
        if (servingPeer.isPresent()) {
            ServingPeer peer = servingPeer.get();
            return refuse(NodeRefusal.Reason.ALREADY_EXISTS, "control-plane peer " + peer.peerUrl()
                    + " already serves etcd cluster " + Long.toHexString(peer.clusterId()) + "; this node joins it instead");
        }
        return Optional.empty();
    }

    private static Optional<NodeRefusal> refuse(NodeRefusal.Reason reason, String message) {
        return Optional.of(new NodeRefusal(reason, message));
    }
}
