package dev.kiln.node.supervisor;

import java.util.Optional;
import java.util.Set;

/**
 * A system service run by the {@link Supervisor}. The supervisor calls {@link #start}, {@link #stop}
 * and {@link #health} from one thread at a time per service, so implementations need not lock
 * against themselves.
 */
public interface Service {

    /** Unique, and usable as a file name: {@code [a-z0-9][a-z0-9._-]*}. */
    String id();

    /** Starts the work and returns; work that ends on its own reports it via {@link ServiceContext#exited}. */
    void start(ServiceContext ctx) throws Exception;

    /** Stops the work gracefully, within a bounded time. Called also after the work ended on its own. */
    void stop() throws Exception;

    /** Must return promptly. */
    Health health();

    boolean isRunning();

    /** Services that must be running and healthy before this one starts. */
    default Set<String> dependsOn() {
        return Set.of();
    }

    default RestartPolicy restartPolicy() {
        return RestartPolicy.ALWAYS;
    }

    /** A reason not to run on this node at all; the service is then SKIPPED. */
    default Optional<String> skipReason() {
        return Optional.empty();
    }
}
