package dev.kiln.node.supervisor;

import java.time.Instant;
import java.util.List;

/**
 * A service as the supervisor sees it now.
 *
 * @param healthChangedAt when the health status last changed
 * @param restarts automatic restarts after crashes since the service was registered
 * @param recentEvents the service's latest events, oldest first
 */
public record ServiceSnapshot(
        String id,
        ServiceState state,
        Health health,
        Instant healthChangedAt,
        int restarts,
        List<ServiceEvent> recentEvents) {

    public ServiceSnapshot {
        recentEvents = List.copyOf(recentEvents);
    }
}
