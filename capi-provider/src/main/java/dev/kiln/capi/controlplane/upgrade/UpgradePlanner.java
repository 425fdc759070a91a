package dev.kiln.capi.controlplane.upgrade;

import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.InProgress;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.MachineFacts;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.Member;
import dev.kiln.capi.controlplane.upgrade.UpgradeFacts.NodeReport;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Done;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.ForfeitLeadership;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Halt;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Upgrade;
import dev.kiln.capi.controlplane.upgrade.UpgradeStep.Wait;
import dev.kiln.machinery.cluster.Quorum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides the one next step of an in-place rollout of the control plane, one machine at a time. Pure.
 *
 * <p>Without a release image the version is not managed: Done. A failed machine (refused, rolled back, or not back
 * on the target within the timeout) halts the rollout until the target (version or image) changes. Otherwise nothing
 * is touched while a machine is mid-upgrade or on trial. Before each machine: every etcd member votes and is healthy,
 * and quorum holds with that machine down. Followers go first; the leader hands leadership over before its own
 * upgrade.
 */
public final class UpgradePlanner {

    // The leader's and a member's status are read moments apart; a gap this wide is a member still replaying its log.
    public static final long MAX_APPLY_LAG = 1000;

    private UpgradePlanner() {
    }

    public static UpgradeStep decide(UpgradeFacts facts) {
        List<MachineFacts> machines = facts.machines().stream().sorted(Comparator.comparing(MachineFacts::name))
                .toList();
        for (MachineFacts machine : machines) {
            Optional<Halt> halt = failure(facts, machine);
            if (halt.isPresent()) {
                return halt.get();
            }
        }
        for (MachineFacts machine : machines) {
            Optional<String> busy = busy(facts, machine);
            if (busy.isPresent()) {
                return new Wait(busy.get());
            }
        }
        if (facts.target().image().isEmpty()) {
            // Manifests from before in-place upgrades name a version but no release: nothing to install it from.
            return new Done("spec.releaseImage is not set, so the node-init version is not managed in place");
        }
        List<String> silent = machines.stream().filter(m -> m.node().isEmpty()).map(MachineFacts::name).toList();
        if (!silent.isEmpty()) {
            return new Wait("cannot read the node-init version of " + String.join(", ", silent));
        }
        String target = facts.target().version();
        List<MachineFacts> outdated = machines.stream().filter(m -> !m.node().get().running().equals(target)).toList();
        Optional<String> unhealthy = etcdProblem(facts, machines);
        if (outdated.isEmpty()) {
            return unhealthy.<UpgradeStep>map(why -> new Wait("all " + machines.size() + " machines run " + target
                    + "; waiting for etcd: " + why))
                    .orElseGet(() -> new Done("all " + machines.size() + " machines run " + target
                            + " and their etcd members are healthy voters"));
        }
        if (unhealthy.isPresent()) {
            return new Wait("before upgrading " + outdated.get(0).name() + ": " + unhealthy.get());
        }
        Optional<MachineFacts> follower = outdated.stream()
                .filter(m -> !facts.member(m.name()).map(Member::leader).orElse(false)).findFirst();
        MachineFacts next = follower.orElse(outdated.get(0));
        int voters = facts.members().size();
        // A one-member etcd has no quorum to keep: its only machine is upgraded with etcd down while it reboots.
        if (voters > 1 && voters - 1 < Quorum.quorumOf(voters)) {
            return new Wait("upgrading " + next.name() + " would leave " + (voters - 1) + " of " + voters
                    + " etcd voters, fewer than the quorum of " + Quorum.quorumOf(voters));
        }
        if (follower.isEmpty() && voters > 1) {
            return new ForfeitLeadership(next.name());
        }
        return new Upgrade(next.name(), facts.target().image().get());
    }

    /**
     * A machine is mid-upgrade or on trial: nothing else (scaling, replacing) should touch the control plane until it
     * is done.
     */
    public static boolean inFlight(UpgradeFacts facts) {
        return facts.machines().stream().anyMatch(m -> busy(facts, m).isPresent());
    }

    /** The record is for this very target: the same version from the same release. */
    static boolean forTarget(UpgradeFacts facts, InProgress record) {
        return record.target().equals(facts.target().version())
                && facts.target().image().map(record.image()::equals).orElse(false);
    }

    private static Optional<Halt> failure(UpgradeFacts facts, MachineFacts machine) {
        if (machine.inProgress().isEmpty() || !forTarget(facts, machine.inProgress().get())) {
            return Optional.empty();
        }
        InProgress record = machine.inProgress().get();
        if (record.refused().isPresent()) {
            return Optional.of(new Halt(machine.name(), "its node refused the upgrade to " + record.target() + ": "
                    + record.refused().get()));
        }
        Optional<NodeReport> node = machine.node();
        if (node.isPresent() && node.get().lastRollback().isPresent()
                && !node.get().lastRollback().equals(record.rollbackBefore())) {
            return Optional.of(new Halt(machine.name(), node.get().lastRollback().get()));
        }
        if (completed(record, node)) {
            return Optional.empty();
        }
        Duration elapsed = Duration.between(record.started(), facts.now());
        if (elapsed.compareTo(facts.timeout()) > 0) {
            return Optional.of(new Halt(machine.name(), "did not report " + record.target() + " off trial within "
                    + facts.timeout() + " of the upgrade (started " + record.started() + "); it "
                    + node.map(UpgradePlanner::describe).orElse("does not answer")));
        }
        return Optional.empty();
    }

    /** Why this machine must be left alone to finish first, if it must. */
    private static Optional<String> busy(UpgradeFacts facts, MachineFacts machine) {
        Optional<NodeReport> node = machine.node();
        if (machine.inProgress().isPresent() && forTarget(facts, machine.inProgress().get())
                && !completed(machine.inProgress().get(), node)) {
            InProgress record = machine.inProgress().get();
            return Optional.of(machine.name() + " is upgrading to " + record.target() + " (asked at "
                    + record.started() + "); it " + node.map(UpgradePlanner::describe).orElse("does not answer yet"));
        }
        if (node.isPresent() && node.get().trial()) {
            return Optional.of(machine.name() + " runs " + node.get().running() + " on trial; waiting for it to "
                    + "confirm or roll back");
        }
        return Optional.empty();
    }

    private static boolean completed(InProgress record, Optional<NodeReport> node) {
        return node.isPresent() && node.get().running().equals(record.target()) && !node.get().trial();
    }

    /** Every member a healthy voter, one per machine, and a leader known; else what is missing. */
    private static Optional<String> etcdProblem(UpgradeFacts facts, List<MachineFacts> machines) {
        List<String> problems = new ArrayList<>();
        facts.members().stream().filter(m -> !m.voter()).forEach(m -> problems.add(m.name() + " is a learner"));
        facts.members().stream().filter(m -> !m.healthy())
                .forEach(m -> problems.add(m.name() + "'s etcd member is not healthy"));
        machines.stream().filter(m -> facts.member(m.name()).isEmpty())
                .forEach(m -> problems.add(m.name() + " has no etcd member"));
        Optional<Member> leader = facts.members().stream().filter(Member::leader).findFirst();
        if (problems.isEmpty() && leader.isEmpty()) {
            problems.add("no etcd member reports a leader");
        }
        leader.filter(l -> l.raftIndex() > 0).ifPresent(l -> facts.members().stream()
                .filter(m -> m.appliedIndex() > 0 && l.raftIndex() - m.appliedIndex() > MAX_APPLY_LAG)
                .forEach(m -> problems.add(m.name() + "'s etcd member has not caught up: applied "
                        + m.appliedIndex() + " of the leader's " + l.raftIndex() + " raft entries")));
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private static String describe(NodeReport node) {
        return "reports running " + node.running() + (node.trial() ? " on trial" : "");
    }
}
