package dev.kiln.capi.node.events;

import dev.kiln.capi.node.NodeCredentials;

/** Opens one node's machine-API event stream. */
@FunctionalInterface
public interface NodeEventFeed {

    /** What a followed stream reports: each event, then exactly one end. */
    interface Listener {
        void onEvent();

        void onEnd(String reason);
    }

    /** Starts following; closing the handle ends the stream without a call to {@link Listener#onEnd}. */
    AutoCloseable follow(String address, NodeCredentials credentials, Listener listener);
}
