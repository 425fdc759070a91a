package dev.kiln.machinery.cluster;

import dev.kiln.machinery.cluster.MembershipChange.RemoveMember;
import dev.kiln.machinery.cluster.ScaleDecision.RefuseEvenReplicas;
import dev.kiln.machinery.cluster.ScaleDecision.RollOut;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleDown;
import dev.kiln.machinery.cluster.ScaleDecision.ScaleUp;
import dev.kiln.machinery.cluster.ScaleDecision.Steady;
import dev.kiln.machinery.cluster.ScaleDecision.Wait;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides one control-plane machine change per pass (a scale up creates every missing machine at once).
 *
 * <p>Order: refuse even replicas (I4); scale up all missing machines at once, even while others are still joining,
 * unless a deleting machine still has its etcd member or a member has no machine: new machines join etcd as learners,
 * which never count for quorum, and etcd admits one learner at a time. A deleting machine whose member is gone only
 * waits for its server to be wiped, so it no longer counts and its replacement is created meanwhile. Every other change waits while etcd membership is unsettled
 * (a learner, a member without machine, a machine without voting member); then scale down, or roll out outdated
 * machines (maxSurge 1: surge a replacement, then the surplus is scaled down; maxSurge 0: delete first).
 *
 * <p>Preflight: creating a machine needs every voting member healthy; deleting one needs {@link Quorum#check} to
 * allow removing its member. Scale-down and roll-out pick a machine by {@link #DELETE_FIRST}, spread over failure
 * domains by {@link FailureDomainSpread}, which also picks the domain of a new machine.
 */
public final class ScalePlanner {

    /** delete-machine annotation first, then outdated, then oldest, ties by name. */
    public static final Comparator<MachineView> DELETE_FIRST = Comparator
            .comparing((MachineView m) -> !m.markedForDeletion())
            .thenComparing(m -> !m.outdated())
            .thenComparing(MachineView.OLDEST_FIRST);

    private static final Steady STEADY = new Steady();
    /** Stands for a machine this decision creates; parentheses and spaces are never in a Kubernetes name. */
    private static final String NEW_MACHINE = "(new machine ";

    private ScalePlanner() {
    }

    public static ScaleDecision decide(ScaleInput input) {
        int desired = input.desiredReplicas();
        if (desired % 2 == 0) {
            return new RefuseEvenReplicas(desired, evenReplicasMessage(desired));
        }
        ControlPlane cp = ControlPlane.of(input.machines(), input.etcd());
        int current = (int) cp.machines.stream().filter(m -> !leftEtcdWhileDeleting(cp, m)).count();
        if (current < desired) {
            String blocked = blocksScaleUp(cp);
            return blocked != null ? new Wait(blocked)
                    : scaleUp(cp, input.placement(), desired - current,
                            "scale up from " + current + " to " + desired + " machines");
        }
        String unsettled = unsettled(cp);
        if (unsettled != null) {
            return new Wait(unsettled);
        }
        if (current > desired) {
            MachineView victim = FailureDomainSpread.toDelete(input.placement(), cp.machines, cp.machines);
            return removeIfSafe(cp, victim, new ScaleDown(victim.name(),
                    "scale down from " + current + " to " + desired + " machines; " + whyPicked(victim, input.placement())));
        }
        List<MachineView> outdated = new ArrayList<>();
        for (MachineView m : cp.machines) {
            if (m.outdated()) {
                outdated.add(m);
            }
        }
        if (outdated.isEmpty()) {
            return STEADY;
        }
        MachineView next = FailureDomainSpread.toDelete(input.placement(), cp.machines, outdated);
        if (input.maxSurge() == 1) {
            return scaleUp(cp, input.placement(), 1, "surge a replacement for outdated machine " + next.name());
        }
        ScaleDecision rollOut = removeIfSafe(cp, next, new RollOut(next.name(),
                "delete outdated machine " + next.name() + " before creating its replacement (maxSurge 0)"));
        return rollOut instanceof Wait wait ? new Wait(wait.reason() + "; maxSurge 1 would add the replacement first")
                : rollOut;
    }

    static String evenReplicasMessage(int replicas) {
        if (replicas == 0) {
            return "replicas 0 leaves no control plane; use an odd number (1, 3, 5)";
        }
        int tolerated = Quorum.faultTolerance(replicas);
        return String.format("replicas %d is even; use an odd number (1, 3, 5): %d etcd members survive %d "
                        + "failure%s, the same as %d, while more of them must be up to keep quorum",
                replicas, replicas, tolerated, tolerated == 1 ? "" : "s", replicas - 1);
    }

    private static boolean leftEtcdWhileDeleting(ControlPlane cp, MachineView m) {
        return m.deleting() && cp.memberOf(m) == null;
    }

    private static String blocksScaleUp(ControlPlane cp) {
        for (MachineView m : cp.machines) {
            if (m.deleting() && !leftEtcdWhileDeleting(cp, m)) {
                return "machine " + m.name() + " is being deleted; the next change waits for it to finish";
            }
        }
        for (MemberView member : cp.etcd.members()) {
            // A learner that has not started yet is a join under way, not a stale member.
            if (cp.machineOf(member) == null && (member.started() || !member.learner())) {
                return "member " + member.describe() + " has no machine and must be removed first";
            }
        }
        return null;
    }

    private static String unsettled(ControlPlane cp) {
        for (MachineView m : cp.machines) {
            if (m.deleting()) {
                return "machine " + m.name() + " is being deleted; the next change waits for it to finish";
            }
        }
        String blocked = blocksScaleUp(cp);
        if (blocked != null) {
            return blocked;
        }
        for (MemberView member : cp.etcd.members()) {
            if (member.learner()) {
                return "learner " + member.describe() + " is not promoted yet";
            }
            if (cp.machineOf(member) == null) {
                return "member " + member.describe() + " has no machine and must be removed first";
            }
        }
        for (MachineView m : cp.machines) {
            if (cp.memberOf(m) == null) {
                return "machine " + m.name() + " has not joined etcd yet";
            }
        }
        return null;
    }

    private static ScaleDecision scaleUp(ControlPlane cp, Placement placement, int count, String reason) {
        for (MemberView member : cp.etcd.members()) {
            if (!member.learner() && !member.healthy()) {
                return new Wait("cannot " + reason + ": etcd member " + member.describe() + " is unhealthy");
            }
        }
        List<Optional<String>> domains = new ArrayList<>();
        List<MachineView> planned = new ArrayList<>(cp.machines);
        Map<String, String> plannedDomains = new HashMap<>(placement.machineDomains());
        for (int i = 0; i < count; i++) {
            Optional<String> domain = FailureDomainSpread.forNewMachine(
                    new Placement(placement.domains(), plannedDomains), planned);
            domains.add(domain);
            // Each new machine counts where it goes, so that the next one is spread as if it already existed.
            MachineView created = MachineView.controlPlane(NEW_MACHINE + i + ")", Long.MAX_VALUE);
            planned.add(created);
            domain.ifPresent(d -> plannedDomains.put(created.name(), d));
        }
        List<String> named = domains.stream().flatMap(Optional::stream).distinct().sorted().toList();
        String where = named.isEmpty() ? ""
                : named.size() == 1 ? " in failure domain " + named.get(0) : " in failure domains " + String.join(", ", named);
        return new ScaleUp(reason + where, domains);
    }

    private static ScaleDecision removeIfSafe(ControlPlane cp, MachineView victim, ScaleDecision decision) {
        QuorumCheck check = Quorum.check(new RemoveMember(cp.memberOf(victim).id()), cp.etcd);
        if (check instanceof QuorumCheck.Unsafe unsafe) {
            return new Wait("cannot delete machine " + victim.name() + ": " + unsafe.reason());
        }
        return decision;
    }

    private static String whyPicked(MachineView m, Placement placement) {
        if (m.markedForDeletion()) {
            return m.name() + " carries the delete-machine annotation";
        }
        String why = m.outdated() ? m.name() + " is outdated" : m.name() + " is the oldest";
        if (!placement.spreads()) {
            return why;
        }
        return why + placement.plannedDomainOf(m).map(d -> " in failure domain " + d + ", which holds the most")
                .orElse(" outside every control-plane failure domain");
    }
}
