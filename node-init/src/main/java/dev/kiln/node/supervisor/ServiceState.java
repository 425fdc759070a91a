package dev.kiln.node.supervisor;

/**
 * Where a service is in its lifecycle. The order is the wire order: {@link #ordinal()} is the value
 * of the machine API's {@code ServiceStateEvent.Action} (INITIALIZED = 0 ... SKIPPED = 7, STARTING = 8).
 * A start goes STARTING, then WAITING while dependencies are down, then PREPARING, then RUNNING, as in Talos.
 */
public enum ServiceState {
    /** Registered, never started. */
    INITIALIZED,
    /** Dependencies are up; the work is being launched. */
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
    SKIPPED,
    /** A start attempt began. Last because Talos added it after the others. */
    STARTING;

    public int wireValue() {
        return ordinal();
    }

    /** The state as Talos spells it in ServiceInfo.state and ServiceEvent.state ("Running"); talosctl compares it. */
    public String wireName() {
        return name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
