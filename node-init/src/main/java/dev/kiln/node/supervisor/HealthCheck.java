package dev.kiln.node.supervisor;

/** Probes whether a service does its job. Must return promptly: the supervisor calls it periodically. */
@FunctionalInterface
public interface HealthCheck {

    /** Throwing counts as unhealthy, with the exception's message. */
    Health check() throws Exception;

    /** For process services: being alive is all there is to check. */
    static HealthCheck none() {
        return () -> Health.healthy("running");
    }
}
