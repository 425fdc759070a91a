package dev.kiln.capi.node;

/** Opens a {@link NodeApi} to the node at {@code address} (host:port). */
@FunctionalInterface
public interface NodeConnector {

    NodeApi connect(String address, NodeCredentials credentials);
}
