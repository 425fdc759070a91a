package dev.kiln.node.etcd;

import java.net.URI;

/** Where this node's etcd listens: its own loopback (or real) address, so several nodes share one machine. */
public record EtcdEndpoints(String address, int clientPort, int peerPort) {

    public static final int CLIENT_PORT = 2379;
    public static final int PEER_PORT = 2380;

    public static EtcdEndpoints on(String address) {
        return new EtcdEndpoints(address, CLIENT_PORT, PEER_PORT);
    }

    public URI clientUrl() {
        return URI.create("https://" + hostPart() + ":" + clientPort);
    }

    public URI peerUrl() {
        return URI.create("https://" + hostPart() + ":" + peerPort);
    }

    private String hostPart() {
        return address.contains(":") ? "[" + address + "]" : address;
    }
}
