package dev.kiln.machinery.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Where control-plane machines may go and where they are.
 *
 * @param domains        the failure domains fit for control-plane machines; empty means machines are not spread
 * @param machineDomains the failure domain each machine was placed in, by machine name; machines without one are absent
 */
public record Placement(List<String> domains, Map<String, String> machineDomains) {

    /** No failure domains: machines go wherever their infrastructure puts them. */
    public static final Placement NONE = new Placement(List.of(), Map.of());

    public Placement {
        // Sorted and distinct, so every choice among domains is the same whatever order they were reported in.
        domains = List.copyOf(new TreeSet<>(Objects.requireNonNull(domains, "domains")));
        machineDomains = Map.copyOf(machineDomains);
        for (String domain : domains) {
            if (domain.isEmpty()) {
                throw new IllegalArgumentException("a failure domain name is empty");
            }
        }
    }

    public boolean spreads() {
        return !domains.isEmpty();
    }

    /** The domain the machine was placed in, when it is one of {@link #domains}. */
    Optional<String> plannedDomainOf(MachineView machine) {
        String domain = machineDomains.get(machine.name());
        return domain != null && domains.contains(domain) ? Optional.of(domain) : Optional.empty();
    }
}
