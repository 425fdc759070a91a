package dev.kiln.machinery.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Enumerates every small control plane (as multisets of machine kinds) over zero to three failure domains and checks
 * {@link FailureDomainSpread} against oracles written here from the rules, and whole scale-ups and rollouts for balance.
 */
class FailureDomainSpreadPropertiesTest {

    private static final List<List<String>> DOMAIN_SETS = List.of(List.of(), List.of("a"), List.of("a", "b"),
            List.of("a", "b", "c"));
    /** "-" places a machine in no domain; "gone" in a domain the cluster no longer lists. */
    private static final List<String> PLACES = List.of("a", "b", "c", "-", "gone");
    private static final int PLAIN = 0;
    private static final int OUTDATED = 1;
    private static final int MARKED = 2;
    private static final int DELETING = 3;
    private static final int FAILED = 4;
    private static final int STATES = 5;
    private static final int KINDS = PLACES.size() * STATES;
    private static final int MAX_MACHINES = 5;

    @Test
    void aNewMachineGoesToTheEligibleDomainWithFewestLiveMachines() {
        int cases = 0;
        for (int[] kinds : multisets()) {
            for (List<String> domains : DOMAIN_SETS) {
                Fleet fleet = fleet(kinds, domains);
                Optional<String> chosen = FailureDomainSpread.forNewMachine(fleet.placement, fleet.machines);
                assertEquals(domains.isEmpty(), chosen.isEmpty(), fleet.toString());
                chosen.ifPresent(domain -> {
                    assertTrue(domains.contains(domain), fleet + " chose " + domain);
                    for (String other : domains) {
                        int byCount = Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1])
                                .compare(fleet.counts(domain), fleet.counts(other));
                        assertTrue(byCount < 0 || (byCount == 0 && domain.compareTo(other) <= 0),
                                fleet + " chose " + domain + " over " + other);
                    }
                });
                assertEquals(chosen, FailureDomainSpread.forNewMachine(fleet.placement, fleet.reversed()),
                        "input order changes the choice for " + fleet);
                cases++;
            }
        }
        System.out.println("spread: " + cases + " control planes x domain sets for a new machine");
        assertEquals(142506 * DOMAIN_SETS.size(), cases); // C(25+5, 5) multisets of size <= 5
    }

    @Test
    void aMachineToDeleteComesFromTheBestTierThenOffPlanThenTheFullestDomainThenOldest() {
        for (int[] kinds : multisets()) {
            if (kinds.length == 0) {
                continue;
            }
            for (List<String> domains : DOMAIN_SETS) {
                Fleet fleet = fleet(kinds, domains);
                checkDeletion(fleet, fleet.machines);
                List<MachineView> outdated = fleet.machines.stream().filter(MachineView::outdated).toList();
                if (!outdated.isEmpty()) {
                    checkDeletion(fleet, outdated);
                }
            }
        }
    }

    @Test
    void scalingUpFromNothingKeepsDomainsWithinOneMachineOfEachOther() {
        for (List<String> domains : DOMAIN_SETS.subList(1, DOMAIN_SETS.size())) {
            Placement placement = new Placement(domains, Map.of());
            List<MachineView> machines = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String domain = FailureDomainSpread.forNewMachine(placement, machines).orElseThrow();
                placement = place(placement, "m" + i, domain);
                machines.add(MachineView.controlPlane("m" + i, i));
                assertBalanced(placement, machines);
            }
        }
    }

    @Test
    void aRolloutReplacesEveryMachineAndEndsBalanced() {
        for (List<String> domains : DOMAIN_SETS.subList(1, DOMAIN_SETS.size())) {
            for (int replicas : new int[] {1, 3, 5}) {
                for (int maxSurge : new int[] {0, 1}) {
                    rollOut(domains, replicas, maxSurge);
                }
            }
        }
    }

    private static void rollOut(List<String> domains, int replicas, int maxSurge) {
        Placement placement = new Placement(domains, Map.of());
        List<MachineView> machines = new ArrayList<>();
        int created = 0;
        for (; created < replicas; created++) {
            placement = place(placement, "m" + created,
                    FailureDomainSpread.forNewMachine(placement, machines).orElseThrow());
            machines.add(MachineView.controlPlane("m" + created, created).withOutdated(true));
        }
        String run = domains + " replicas " + replicas + " maxSurge " + maxSurge;
        for (int step = 0; machines.stream().anyMatch(MachineView::outdated); step++) {
            assertTrue(step < 2 * replicas, "no end to the rollout of " + run);
            List<MachineView> outdated = machines.stream().filter(MachineView::outdated).toList();
            if (maxSurge == 0) {
                machines.remove(FailureDomainSpread.toDelete(placement, machines, outdated));
            }
            String name = "m" + created;
            placement = place(placement, name, FailureDomainSpread.forNewMachine(placement, machines).orElseThrow());
            machines.add(MachineView.controlPlane(name, created++));
            if (maxSurge == 1) {
                machines.remove(FailureDomainSpread.toDelete(placement, machines, machines));
            }
        }
        assertEquals(replicas, machines.size(), run);
        assertBalanced(placement, machines);
    }

    private static void checkDeletion(Fleet fleet, List<MachineView> candidates) {
        MachineView chosen = FailureDomainSpread.toDelete(fleet.placement, fleet.machines, candidates);
        String what = fleet + " from " + candidates.stream().map(MachineView::name).toList() + " chose " + chosen.name();
        assertTrue(candidates.contains(chosen), what);
        List<MachineView> sameTier = candidates.stream().filter(m -> tier(m) == tier(chosen)).toList();
        assertTrue(candidates.stream().allMatch(m -> tier(m) >= tier(chosen)), what + ": a better tier exists");
        List<MachineView> sameGroup = sameTier;
        if (fleet.placement.spreads()) {
            boolean offPlanExists = sameTier.stream().anyMatch(m -> fleet.plannedDomain(m) == null);
            String domain = fleet.plannedDomain(chosen);
            assertEquals(offPlanExists, domain == null, what + ": off-plan machines go first");
            if (domain != null) {
                for (MachineView other : sameTier) {
                    String otherDomain = fleet.plannedDomain(other);
                    long mine = fleet.counts(domain)[1];
                    long theirs = fleet.counts(otherDomain)[1];
                    assertTrue(mine > theirs || (mine == theirs && domain.compareTo(otherDomain) <= 0),
                            what + ": domain " + otherDomain + " holds more");
                }
            }
            sameGroup = sameTier.stream().filter(m -> java.util.Objects.equals(fleet.plannedDomain(m), domain))
                    .toList();
        }
        for (MachineView other : sameGroup) {
            assertTrue(chosen.creationOrder() < other.creationOrder() || (chosen.creationOrder()
                    == other.creationOrder() && chosen.name().compareTo(other.name()) <= 0), what + ": not oldest");
        }
        List<MachineView> reversed = new ArrayList<>(candidates);
        Collections.reverse(reversed);
        assertEquals(chosen, FailureDomainSpread.toDelete(fleet.placement, fleet.reversed(), reversed),
                "input order changes the choice: " + what);
    }

    private static int tier(MachineView m) {
        return m.markedForDeletion() ? 0 : m.outdated() ? 1 : 2;
    }

    private static void assertBalanced(Placement placement, List<MachineView> machines) {
        long most = 0;
        long fewest = Long.MAX_VALUE;
        for (String domain : placement.domains()) {
            long count = FailureDomainSpread.count(placement, machines, domain, false);
            most = Math.max(most, count);
            fewest = Math.min(fewest, count);
        }
        assertTrue(most - fewest <= 1, "unbalanced: " + placement.machineDomains() + " of " + machines.size());
    }

    private static Placement place(Placement placement, String machine, String domain) {
        Map<String, String> placed = new HashMap<>(placement.machineDomains());
        placed.put(machine, domain);
        return new Placement(placement.domains(), placed);
    }

    /** Machines with their placement; the counting oracle is written here, apart from the class under test. */
    private record Fleet(List<MachineView> machines, Placement placement) {

        String plannedDomain(MachineView m) {
            String domain = placement.machineDomains().get(m.name());
            return domain != null && placement.domains().contains(domain) ? domain : null;
        }

        /** Live up-to-date machines, live machines. */
        long[] counts(String domain) {
            long upToDate = 0;
            long live = 0;
            for (MachineView m : machines) {
                if (!m.deleting() && !m.failed() && domain.equals(plannedDomain(m))) {
                    live++;
                    upToDate += m.outdated() ? 0 : 1;
                }
            }
            return new long[] {upToDate, live};
        }

        List<MachineView> reversed() {
            List<MachineView> copy = new ArrayList<>(machines);
            Collections.reverse(copy);
            return copy;
        }

        @Override
        public String toString() {
            return "domains " + placement.domains() + " machines " + machines.stream()
                    .map(m -> m.name() + "@" + placement.machineDomains().getOrDefault(m.name(), "-")).toList();
        }
    }

    private static Fleet fleet(int[] kinds, List<String> domains) {
        List<MachineView> machines = new ArrayList<>();
        Map<String, String> placed = new HashMap<>();
        for (int i = 0; i < kinds.length; i++) {
            String place = PLACES.get(kinds[i] / STATES);
            int state = kinds[i] % STATES;
            // Creation order repeats every two machines, so ties broken by name are covered.
            MachineView m = MachineView.controlPlane("m" + i, i / 2)
                    .withOutdated(state == OUTDATED)
                    .withMarkedForDeletion(state == MARKED)
                    .withDeleting(state == DELETING)
                    .withFailed(state == FAILED);
            machines.add(m);
            if (!place.equals("-")) {
                placed.put(m.name(), place);
            }
        }
        return new Fleet(machines, new Placement(domains, placed));
    }

    /** Every multiset of at most {@link #MAX_MACHINES} kinds, each as a non-decreasing array. */
    private static List<int[]> multisets() {
        List<int[]> out = new ArrayList<>();
        extend(new int[0], 0, out);
        return out;
    }

    private static void extend(int[] prefix, int from, List<int[]> out) {
        out.add(prefix);
        if (prefix.length == MAX_MACHINES) {
            return;
        }
        for (int kind = from; kind < KINDS; kind++) {
            int[] next = java.util.Arrays.copyOf(prefix, prefix.length + 1);
            next[prefix.length] = kind;
            extend(next, kind, out);
        }
    }
}
