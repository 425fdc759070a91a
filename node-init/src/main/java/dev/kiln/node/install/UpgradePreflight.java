package dev.kiln.node.install;

import java.util.List;
import java.util.Optional;

/**
 * Whether a node may reboot into an upgrade, from what it knows of its etcd member and the other voting members.
 * Without {@code force} a control-plane node refuses an upgrade that would cost etcd its quorum while it reboots;
 * {@code force} turns each refusal into a note and goes ahead, as Talos's force does.
 */
public final class UpgradePreflight {

    private UpgradePreflight() {
    }

    /** Another voting member, and why it did not answer if it did not. */
    public record Voter(String name, Optional<String> problem) {

        public static Voter healthy(String name) {
            return new Voter(name, Optional.empty());
        }

        public static Voter unhealthy(String name, String problem) {
            return new Voter(name, Optional.of(problem));
        }

        boolean isHealthy() {
            return problem.isEmpty();
        }
    }

    /** The node's etcd as the upgrade sees it; a worker has none. */
    public sealed interface EtcdFacts {
    }

    public record NoEtcd() implements EtcdFacts {
    }

    /** The local member could not be read at all. */
    public record UnhealthyMember(String problem) implements EtcdFacts {
    }

    public record Member(boolean learner, List<Voter> otherVoters) implements EtcdFacts {
    }

    public sealed interface Verdict {
    }

    public record Proceed(List<String> notes) implements Verdict {
    }

    public record Refuse(String reason) implements Verdict {
    }

    public static Verdict decide(EtcdFacts etcd, boolean force) {
        Verdict strict = decide(etcd);
        if (force && strict instanceof Refuse refuse) {
            return new Proceed(List.of("forced past: " + refuse.reason()));
        }
        return strict;
    }

    private static Verdict decide(EtcdFacts etcd) {
        if (etcd instanceof UnhealthyMember unhealthy) {
            return new Refuse("this node's etcd member is not healthy (" + unhealthy.problem()
                    + "); pass force to upgrade anyway");
        }
        if (etcd instanceof Member member) {
            return decide(member);
        }
        return new Proceed(List.of());
    }

    private static Verdict decide(Member member) {
        if (member.learner()) {
            return new Refuse("this node's etcd member is a learner; upgrade it once it is promoted, or pass force");
        }
        List<Voter> others = member.otherVoters();
        if (others.isEmpty()) {
            return new Proceed(List.of("the only etcd member: etcd is unavailable while this node reboots"));
        }
        int voters = others.size() + 1;
        int quorum = voters / 2 + 1;
        List<Voter> healthy = others.stream().filter(Voter::isHealthy).toList();
        if (healthy.size() >= quorum) {
            return new Proceed(List.of());
        }
        String unhealthy = String.join(", ", others.stream().filter(voter -> !voter.isHealthy())
                .map(voter -> voter.name() + ": " + voter.problem().orElseThrow()).toList());
        return new Refuse("etcd would lose its quorum while this node reboots: " + healthy.size() + " of the other "
                + others.size() + " voting members are healthy and " + voters + " members need " + quorum
                + " (" + unhealthy + "); pass force to upgrade anyway");
    }
}
