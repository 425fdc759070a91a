package dev.kiln.node.api.proxy;

import dev.kiln.machinery.client.NodeAddress;

/** A node a call is relayed to: the name the caller wrote, which tags its replies, and where it is dialled. */
public record RelayTarget(String name, NodeAddress address) {
}
