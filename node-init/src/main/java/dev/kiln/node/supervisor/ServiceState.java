package dev.kiln.node.supervisor;

/**
 * Where a service is in its lifecycle. The order is the wire order: {@link #ordinal()} is the value
 * of the machine API's {@code ServiceStateEvent.Action} (INITIALIZED = 0 ... SKIPPED = 7).
 */
public enum ServiceState {
    /** Registered, never started. */
    INITIALIZED,
    /** A start attempt began. */
    PREPARING,
    /** Waiting for the services it depends on to be up. */
    WAITING,
    RUNNING,
    STOPPING,
    /** Stopped on request, or exited successfully. */
    FINISHED,
    /** Failed to start or exited unexpectedly; a restart may be pending. */
    FAILED,
    /** Not applicable to this node, so never run. */
    SKIPPED;

    public int wireValue() {
        return ordinal();
    }
}
