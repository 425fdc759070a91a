package dev.kiln.node.etcd;

import java.util.List;
import java.util.Optional;

/** The member list and cluster ID that one etcd endpoint answered with. */
public record EtcdClusterView(long clusterId, long respondingMemberId, List<EtcdMember> members) {

    public Optional<EtcdMember> byName(String name) {
        return members.stream().filter(member -> member.name().equals(name)).findFirst();
    }

    public Optional<EtcdMember> byPeerUrl(java.net.URI peerUrl) {
        return members.stream().filter(member -> member.peerUrls().contains(peerUrl)).findFirst();
    }

    public Optional<EtcdMember> byId(long id) {
        return members.stream().filter(member -> member.id() == id).findFirst();
    }
}
