package dev.kiln.capi.node;

/** Opens a {@link NodeApi} to the node at {@code address} (host:port). */
@FunctionalInterface
public interface NodeConnector {

    NodeApi connect(String address, NodeCredentials credentials);

    /**
     * Starts connecting to the node in the background, so that a call made soon after finds its TLS session set up.
     * Connectors that keep no connection between calls have nothing to prepare.
     */
    default void prepare(String address, NodeCredentials credentials) {
    }
}
