package dev.kiln.machinery.cluster;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Spreads control-plane machines over failure domains: a new machine goes where the fewest are, a machine to delete
 * comes from where the most are. Counts are of live machines; up-to-date ones count first, so that a rollout moves
 * each domain's machines over instead of piling the replacements into one domain.
 */
public final class FailureDomainSpread {

    /** The tiers {@link ScalePlanner#DELETE_FIRST} sorts by: delete-machine annotation first, then outdated. */
    private static final Comparator<MachineView> TIER = Comparator
            .comparing((MachineView m) -> !m.markedForDeletion())
            .thenComparing(m -> !m.outdated());

    private FailureDomainSpread() {
    }

    /**
     * The domain for a new control-plane machine: fewest live up-to-date machines, then fewest live machines, then
     * the first by name. Empty when the placement has no domains.
     */
    public static Optional<String> forNewMachine(Placement placement, List<MachineView> controlPlane) {
        Comparator<String> fewestFirst = Comparator
                .comparingLong((String domain) -> count(placement, controlPlane, domain, true))
                .thenComparingLong(domain -> count(placement, controlPlane, domain, false))
                .thenComparing(Comparator.naturalOrder());
        return placement.domains().stream().min(fewestFirst);
    }

    /**
     * The machine to delete among {@code candidates} (non-empty, all in {@code controlPlane}): the best tier of
     * {@link ScalePlanner#DELETE_FIRST} first; within it a machine outside every domain, else one from the domain
     * holding the most live machines (ties: first by name); within that, by {@link ScalePlanner#DELETE_FIRST}.
     */
    public static MachineView toDelete(Placement placement, List<MachineView> controlPlane,
            List<MachineView> candidates) {
        MachineView best = candidates.stream().min(ScalePlanner.DELETE_FIRST).orElseThrow(
                () -> new IllegalArgumentException("no machine to choose from"));
        List<MachineView> tier = candidates.stream().filter(m -> TIER.compare(m, best) == 0).toList();
        if (!placement.spreads()) {
            return best;
        }
        Optional<MachineView> offPlan = tier.stream().filter(m -> placement.plannedDomainOf(m).isEmpty())
                .min(ScalePlanner.DELETE_FIRST);
        if (offPlan.isPresent()) {
            return offPlan.get();
        }
        Comparator<String> mostFirst = Comparator
                .comparingLong((String domain) -> -count(placement, controlPlane, domain, false))
                .thenComparing(Comparator.naturalOrder());
        String domain = tier.stream().map(m -> placement.plannedDomainOf(m).orElseThrow()).distinct()
                .min(mostFirst).orElseThrow();
        return tier.stream().filter(m -> placement.plannedDomainOf(m).orElseThrow().equals(domain))
                .min(ScalePlanner.DELETE_FIRST).orElseThrow();
    }

    /** Live machines placed in {@code domain}; only up-to-date ones when {@code upToDateOnly}. */
    static long count(Placement placement, List<MachineView> controlPlane, String domain, boolean upToDateOnly) {
        return controlPlane.stream()
                .filter(MachineView::isLive)
                .filter(m -> !upToDateOnly || !m.outdated())
                .filter(m -> placement.plannedDomainOf(m).map(domain::equals).orElse(false))
                .count();
    }
}
