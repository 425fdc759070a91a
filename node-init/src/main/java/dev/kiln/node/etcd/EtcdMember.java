package dev.kiln.node.etcd;

import java.net.URI;
import java.util.List;

/** One etcd member as the cluster reports it; an added member that never started has an empty name. */
public record EtcdMember(long id, String name, List<URI> peerUrls, List<URI> clientUrls, boolean learner) {

    public boolean started() {
        return !name.isEmpty();
    }
}
