package dev.kiln.node.supervisor;

import java.time.Instant;
import java.util.Objects;

/** A service changed state, or its health flipped while running. */
public record ServiceEvent(String serviceId, ServiceState state, String message, Instant at, Health health)
        implements NodeEvent {

    public ServiceEvent {
        Objects.requireNonNull(serviceId, "serviceId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(health, "health");
        message = message == null ? "" : message;
    }
}
