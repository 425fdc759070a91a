package dev.kiln.capi.controlplane;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The control-plane machines recently announced for creation, by name and time announced. An operator instance
 * announces a machine in one resourceVersion-guarded write before it creates it, so two instances that read the same
 * machine list cannot both add a machine: the second write conflicts, and a later reader sees the announced name.
 *
 * @param announced      machine name to the time it was announced
 * @param resourceVersion of the stored ledger this was read from; empty when none is stored yet
 */
record CreationLedger(Map<String, Instant> announced, String resourceVersion) {

    /** Long enough for an announced create to reach the API server; a crash between the two costs at most this. */
    static final Duration IN_FLIGHT_FOR = Duration.ofSeconds(60);

    static final CreationLedger EMPTY = new CreationLedger(Map.of(), "");

    CreationLedger {
        announced = Map.copyOf(announced);
    }

    /** Announced within {@link #IN_FLIGHT_FOR} of {@code now} and not yet among {@code listed}: creates in flight. */
    List<String> inFlight(Collection<String> listed, Instant now) {
        Set<String> seen = Set.copyOf(listed);
        return announced.entrySet().stream()
                .filter(e -> !seen.contains(e.getKey()) && young(e.getValue(), now))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** This ledger with {@code names} announced at {@code now}, dropping entries listed since or too old to matter. */
    Map<String, Instant> announcing(Collection<String> names, Collection<String> listed, Instant now) {
        Map<String, Instant> next = new LinkedHashMap<>();
        inFlight(listed, now).forEach(machine -> next.put(machine, announced.get(machine)));
        names.forEach(name -> next.put(name, now));
        return next;
    }

    private static boolean young(Instant announcedAt, Instant now) {
        return announcedAt.plus(IN_FLIGHT_FOR).isAfter(now);
    }
}
